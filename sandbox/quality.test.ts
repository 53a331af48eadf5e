/**
 * The quality report's figures, as the caseload screen computes them (loadCaseload → evaluateCaseload →
 * caseloadQualityReport → reportRows, the rows the CSV and MeasureReport carry too), equal a computation made
 * here independently, straight from the records the sandbox holds (issue 26: "the quality report's figures
 * equal an independent computation from the sandbox's data in a test").
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_CALENDAR, civilDateOf, civilToIso } from '../src/domain/calendar';
import { reportRows } from '../src/domain/quality';
import { loadCaseload } from '../src/fhir/caseload';
import { ASSUMED_CAPABILITIES } from '../src/fhir/capabilities';
import { logMeeting } from '../src/fhir/meetings';
import { CodeSystems, Questionnaires } from '../src/fhir/codes';
import { caseloadQualityReport, evaluateCaseload } from '../src/features/quality/caseloadReport';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ auth: false });
});
afterAll(async () => sandbox?.close());

type Loose = Resource & Record<string, any>;
const tz = DEFAULT_CALENDAR.timeZone;
const dayOf = (instant: string) => civilToIso(civilDateOf(instant, tz));

describe('the quality report against the sandbox data', () => {
  it('counts team meetings, waitlisted families and caregiver surveys as the records say', async () => {
    const now = new Date();
    const today = civilDateOf(now, tz);
    const period = { from: civilToIso(today - 89), to: civilToIso(today) };
    const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
    // The demo has the clinic's meetings only: two FST meetings, logged through the app's own write.
    for (const [i, daysAgo] of [3, 40].entries())
      await logMeeting(transport, ASSUMED_CAPABILITIES, {
        requestId: `quality-meeting-${i}`,
        patientId: 'youth-01',
        kind: 'cpt',
        start: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
        durationMinutes: 45,
        attendees: [{ name: 'Ms. Ortiz' }],
        youthAttended: false,
        goalUpdates: [],
        decisions: '',
        recordedBy: 'Practitioner/fp-rosa',
        consentGivenNow: false,
      });
    const caseload = await loadCaseload(transport, undefined, undefined, undefined, { since: period.from });
    const rows = reportRows(
      caseloadQualityReport(
        evaluateCaseload(caseload, now, DEFAULT_CALENDAR, 90),
        period,
        now,
        DEFAULT_CALENDAR,
      ),
    );
    const value = (id: string) => rows.find((r) => r.id === id)?.value;

    // Independently, from what the server holds.
    const all = sandbox.repo.allStored() as Loose[];
    const inPeriod = (day: string) => day >= period.from && day <= period.to;
    const coded = (concepts: any, system: string) =>
      (Array.isArray(concepts) ? concepts : [concepts])
        .flatMap((c: any) => c?.coding ?? [])
        .find((c: any) => c.system === system)?.code as string | undefined;

    // Team meetings FST logged (our meeting-kind code) that began in the period.
    const meetings = all.filter(
      (r) =>
        r.resourceType === 'Encounter' &&
        coded(r.type, CodeSystems.meetingKind) !== undefined &&
        r.status !== 'entered-in-error' &&
        r.period?.start &&
        inPeriod(dayOf(r.period.start)),
    );
    expect(meetings.length).toBeGreaterThan(0);
    expect(value('team-meetings')).toBe(meetings.length);

    // Families waitlisted now: the referral Task's business status.
    const waitlisted = all.filter(
      (r) =>
        r.resourceType === 'Task' &&
        coded(r.businessStatus, CodeSystems.referralStatus) === 'waitlisted' &&
        ['accepted', 'requested'].includes(r.status),
    );
    expect(value('waitlist-length')).toBe(waitlisted.length);

    // Caregiver satisfaction surveys answered in the period, and their mean score.
    const surveys = all.filter(
      (r) =>
        r.resourceType === 'QuestionnaireResponse' &&
        r.questionnaire === Questionnaires.caregiverSatisfaction &&
        r.status === 'completed' &&
        inPeriod(dayOf(String(r.authored))),
    );
    expect(surveys.length).toBeGreaterThan(0);
    expect(value('satisfaction-surveys')).toBe(surveys.length);
    const scores = surveys.map((s) => {
      const answers = (s.item ?? [])
        .map((i: any) => Number(i.answer?.[0]?.valueCoding?.code))
        .filter((n: number) => n >= 1 && n <= 5);
      return answers.reduce((a: number, b: number) => a + b, 0) / answers.length;
    });
    expect(value('satisfaction-mean')).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 6);
  });
});
