import { createContext, useContext } from 'react';
import type { SmartSession } from '../fhir/session';

export const SessionContext = createContext<SmartSession | null>(null);

export function useSession(): SmartSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a launched session');
  return session;
}
