/**
 * What each write makes stale, declared once. Every view of a patient reads through queries under
 * the patient's key prefix, so a write to one of the patient's resources refreshes them all.
 */
import type { QueryClient } from '@tanstack/react-query';
import { fhirKeys } from './queryKeys';

export type WrittenType = 'Communication' | 'Task' | 'ServiceRequest' | 'DocumentReference' | 'Provenance';

const INVALIDATES: Record<WrittenType, (serverUrl: string, patientId: string) => readonly unknown[][]> = {
  Communication: (s, p) => [[...fhirKeys.patient(s, p)]],
  Task: (s, p) => [[...fhirKeys.patient(s, p)]],
  ServiceRequest: (s, p) => [[...fhirKeys.patient(s, p)]],
  DocumentReference: (s, p) => [[...fhirKeys.patient(s, p)]],
  Provenance: (s, p) => [[...fhirKeys.patient(s, p)]],
};

export async function invalidateAfterWrite(
  client: QueryClient,
  type: WrittenType,
  serverUrl: string,
  patientId: string,
): Promise<void> {
  await Promise.all(
    INVALIDATES[type](serverUrl, patientId).map((queryKey) => client.invalidateQueries({ queryKey })),
  );
}
