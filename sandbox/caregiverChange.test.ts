/**
 * Issue 35 §2 "An ended caregiver is still current": the EHR ends a caregiver (RelatedPerson.active=false and
 * period.end) and adds a Spanish-speaking guardian by writing RelatedPerson directly, as an EHR does. The app's
 * workspace read (loadWorkspace) then lists the guardian first and the ended caregiver as former; the contact
 * form's first recipient and the discharge plan's default recipient and language follow the current caregiver.
 */
import './env';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RelatedPerson } from 'fhir/r4';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_CALENDAR, civilDateOf, civilToIso } from '../src/domain/calendar';
import { caregiverLocale } from '../src/i18n/catalogues';
import { ASSUMED_CAPABILITIES } from '../src/fhir/capabilities';
import { loadWorkspace } from '../src/fhir/workspace';
import { recipientsFor } from '../src/features/contacts/contactForm';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ auth: false });
}, 60_000);
afterAll(async () => sandbox?.close());

it('after the EHR replaces a caregiver, the current one leads everywhere and the ended one is marked former', async () => {
  const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
  const read = () =>
    loadWorkspace(transport, {
      patientId: 'youth-04',
      user: { resourceType: 'Practitioner', id: 'fp-rosa' },
      caps: ASSUMED_CAPABILITIES,
    });
  const before = await read();
  const ended = before.caregivers[0];
  expect(ended.former).toBeUndefined();
  const stored = (await sandbox.repo.readReference({ reference: ended.reference } as never)) as RelatedPerson;
  const yesterday = civilToIso(civilDateOf(new Date(), DEFAULT_CALENDAR.timeZone) - 1);
  await sandbox.repo.updateResource({ ...stored, active: false, period: { end: yesterday } } as never);
  await sandbox.repo.createResource({
    resourceType: 'RelatedPerson',
    active: true,
    patient: { reference: 'Patient/youth-04' },
    relationship: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'GUARD' }] },
    ],
    name: [{ given: ['Elena'], family: 'Vargas' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] }, preferred: true }],
  } as never);

  const after = await read();
  // Current caregivers first (the guardian among them), the ended one last and marked former.
  const current = after.caregivers.filter((c) => !c.former);
  expect(current.map((c) => c.name.full)).toContain('Elena Vargas');
  expect(current.map((c) => c.reference)).not.toContain(ended.reference);
  expect(after.caregivers.at(-1)).toMatchObject({ reference: ended.reference, former: true });
  // The contact form: a current caregiver first, the former one marked.
  const recipients = recipientsFor(after.caregivers, after.plans, after.staffNames);
  expect(recipients[0].reference).not.toBe(ended.reference);
  expect(recipients.find((r) => r.reference === ended.reference)?.label).toContain('former caregiver');
  // The plan in the guardian's language when she receives it.
  const elena = current.find((c) => c.name.full === 'Elena Vargas');
  expect(caregiverLocale(elena?.languages ?? [])).toMatch(/^es/);
});
