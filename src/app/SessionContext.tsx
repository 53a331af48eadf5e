import { createContext, useContext } from 'react';
import type { PatientSession, SmartSession } from '../fhir/session';

export const SessionContext = createContext<SmartSession | null>(null);

export function useSession(): SmartSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a launched session');
  return session;
}

/** The session of a launch with a patient: the workspace views only render inside one. */
export function usePatientSession(): PatientSession {
  const session = useSession();
  if (!session.patientId) throw new Error('This view needs a patient context');
  return session as PatientSession;
}
