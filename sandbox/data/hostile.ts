/**
 * SANDBOX_HOSTILE=1: one more family whose records hold what real charts sometimes do — markup and script
 * in names, notes, goals, titles and narratives, `javascript:` URLs, right-to-left overrides, spreadsheet
 * formulas, a 1 MB note, missing required fields, wrong types, unknown codes, references to nothing, and
 * 3,000 contacts. Stored unvalidated (as a legacy EHR would serve them): the app must show what it can,
 * list what it cannot read, and run none of it. Every payload sets `window.__xss`, so a test can tell.
 */
import type { Resource } from '@medplum/fhirtypes';
import { CodeSystems, H2014, IdentifierSystems, Profiles } from '../../src/fhir/codes';

export const HOSTILE_PATIENT = 'youth-x1';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=1">';
const JS_URL = 'javascript:window.__xss=1';
const RLO = '\u202Etxt.exe';
const FORMULA = '=HYPERLINK("http://evil.example","click")';

export function hostileResources(now: Date): Resource[] {
  const day = 86_400_000;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day).toISOString();
  const patient = { reference: `Patient/${HOSTILE_PATIENT}` };
  const out: Resource[] = [
    {
      resourceType: 'Patient',
      id: HOSTILE_PATIENT,
      name: [{ given: [`Max${SCRIPT}`], family: `Payne${IMG}${RLO}` }],
      birthDate: '2013-02-30',
      gender: 'unknown',
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${SCRIPT}${IMG}</div>` },
    } as Resource,
    {
      resourceType: 'RelatedPerson',
      id: 'cg-x1-1',
      patient,
      name: [{ given: [`Eve${IMG}`], family: FORMULA }],
      relationship: [{ coding: [{ system: 'urn:unknown', code: 'not-a-code' }], text: `mom${SCRIPT}` }],
      telecom: [{ system: 'phone', value: JS_URL }],
    } as Resource,
    // No patient: unreadable as a caregiver, and said so.
    { resourceType: 'RelatedPerson', id: 'cg-x1-2', name: 42 } as unknown as Resource,
    {
      resourceType: 'CarePlan',
      id: 'plan-x1',
      status: 'active',
      intent: 'plan',
      subject: patient,
      title: `${JS_URL} ${SCRIPT}`,
      category: [{ coding: [{ system: CodeSystems.planType, code: 'icp' }] }],
      goal: [{ reference: 'Goal/goal-x1-1' }, { reference: 'Goal/goal-x1-2' }, { reference: 'Goal/nowhere' }],
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${IMG}</div>` },
    } as Resource,
    {
      resourceType: 'Goal',
      id: 'goal-x1-1',
      lifecycleStatus: 'active',
      subject: patient,
      description: { text: `Go to school ${IMG} ${RLO}` },
    } as Resource,
    // An unknown status and a description of the wrong type.
    {
      resourceType: 'Goal',
      id: 'goal-x1-2',
      lifecycleStatus: 'sideways',
      subject: patient,
      description: 7,
    } as unknown as Resource,
    {
      resourceType: 'ServiceRequest',
      id: 'sr-x1',
      status: 'active',
      intent: 'order',
      subject: patient,
      code: { coding: [H2014] },
      authoredOn: at(40),
      note: [{ text: SCRIPT }],
    } as Resource,
    {
      resourceType: 'Task',
      id: 'task-x1',
      meta: { profile: [Profiles.referralTask] },
      status: 'in-progress',
      intent: 'order',
      code: { coding: [{ system: CodeSystems.taskCode, code: 'fulfill' }] },
      focus: { reference: 'ServiceRequest/sr-x1' },
      for: patient,
      authoredOn: at(40),
      owner: { reference: 'PractitionerRole/role-fp-rosa' },
      requester: { reference: 'Practitioner/nobody-here' },
      businessStatus: { text: IMG },
    } as Resource,
    {
      resourceType: 'Encounter',
      id: 'enc-x1',
      status: 'finished',
      class: { code: 'AMB' },
      subject: patient,
      type: [{ text: `${RLO} visit ${SCRIPT}` }],
      period: { start: at(10) },
    } as Resource,
  ];
  const contact = (i: number, note: string, extra: Record<string, unknown> = {}) =>
    ({
      resourceType: 'Communication',
      id: `comm-x1-${i}`,
      meta: { profile: [Profiles.caregiverContact] },
      identifier: [{ system: IdentifierSystems.clientRequest, value: `hostile-${i}` }],
      status: 'completed',
      category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'caregiver-contact' }] }],
      medium: [{ coding: [{ system: CodeSystems.participationMode, code: 'PHONE' }] }],
      subject: patient,
      sent: at(1 + (i % 35)),
      recipient: [{ reference: 'RelatedPerson/cg-x1-1' }],
      sender: { reference: 'Practitioner/fp-rosa' },
      payload: [{ contentString: note }],
      ...extra,
    }) as unknown as Resource;
  // 3,000 contacts, each note a payload.
  const payloads = [SCRIPT, IMG, JS_URL, RLO, FORMULA, `"quoted", ${FORMULA}`];
  // Every sixth note is nothing but a spreadsheet formula: a cell that starts with "=".
  for (let i = 0; i < 3000; i++)
    out.push(contact(i, i % 6 === 4 ? FORMULA : `Call ${i}: ${payloads[i % payloads.length]}`));
  // A 1 MB note, a contact without a sent date, one whose date is a number, one with an unknown category
  // (not an FST contact: never shown), one to nobody.
  out.push(contact(3000, `${'A long note. '.repeat(80_000)}${SCRIPT}`));
  out.push(contact(3001, 'No date', { sent: undefined }));
  out.push(contact(3002, 'Wrong type', { sent: 12345 }));
  out.push(contact(3003, 'Unknown category', { category: [{ coding: [{ system: 'urn:x', code: 'y' }] }] }));
  out.push(contact(3004, 'To nobody', { recipient: [{ reference: 'RelatedPerson/nobody' }] }));
  return out;
}
