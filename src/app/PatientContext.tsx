import { createContext, useContext } from 'react';

/** The youth the current route is about (from the URL, checked against the session's access). */
export const PatientContext = createContext<string | null>(null);

export function usePatientId(): string {
  const id = useContext(PatientContext);
  if (!id) throw new Error('usePatientId outside a patient route');
  return id;
}
