import '../../sandbox/env';
import { describe, expect, it } from 'vitest';
import { validateForWrite } from '../../sandbox/fhir/validation';
import { DEFAULT_CALENDAR } from './calendar';
import { evaluateEpisode } from './compliance';
import type { Contact, Referral } from './model';
import { qualityReport, reportRows } from './quality';
import { episodeFor } from './episode';
import { toMeasureReport } from '../fhir/mappers/measureReport';
import { qualityToCsv } from '../features/quality/qualityCsv';

const now = new Date('2026-11-22T17:00:00Z');
let n = 0;
const contact = (
  sent: string,
  kind: Contact['kind'] = 'caregiver',
  method: Contact['method'] = 'phone',
): Contact => ({
  id: `c${++n}`,
  kind,
  status: 'completed',
  method,
  sent,
  goalIds: [],
  purposes: [],
  durationMinutes: 30,
  // Collateral contacts are with the youth's provider on record (process 9).
  ...(kind === 'collateral' ? { recipientReference: PROVIDER } : {}),
});
const PROVIDER = 'Practitioner/op-helen';
const episode = (fields: Omit<Referral, 'fstMarks'>, contacts: Contact[]) => {
  const referral: Referral = { ...fields, fstMarks: ['profile'] };
  const treaters = new Set([PROVIDER]);
  return { referral, compliance: evaluateEpisode({ referral, contacts, treaters }, now, DEFAULT_CALENDAR) };
};

const caseload = [
  // Called on day 1, started on day 3, weekly contacts for the two full weeks of November 1–14.
  episode({ id: 'a', status: 'in-progress', authoredOn: '2026-10-29T14:00:00Z' }, [
    contact('2026-10-30T14:00:00Z'),
    contact('2026-11-01T14:00:00Z', 'caregiver', 'face-to-face'),
    contact('2026-11-03T14:00:00Z', 'collateral'),
    contact('2026-11-09T14:00:00Z'),
    contact('2026-11-16T14:00:00Z'),
    contact('2026-11-17T14:00:00Z', 'collateral'),
  ]),
  // Called late (day 7) and never started: 14 days not yet passed on Nov 22? Due Nov 26, so undecided.
  episode({ id: 'b', status: 'in-progress', authoredOn: '2026-11-02T14:00:00Z' }, [
    contact('2026-11-12T14:00:00Z'),
  ]),
  // Never called, overdue.
  episode({ id: 'c', status: 'requested', authoredOn: '2026-11-05T14:00:00Z' }, []),
  // Referred two days ago: still due, not counted.
  episode({ id: 'd', status: 'requested', authoredOn: '2026-11-20T14:00:00Z' }, []),
  // Referred Nov 2, contacted Nov 3 and could not be offered a start: waiting since the contact (seed 000 process 6).
  episode(
    {
      id: 'e',
      status: 'on-hold',
      stage: 'waitlisted',
      statusReason: 'No Family Partner',
      authoredOn: '2026-11-02T14:00:00Z',
    },
    [contact('2026-11-03T14:00:00Z')],
  ),
];

describe('quality report', () => {
  const report = qualityReport(caseload, { from: '2026-10-25', to: '2026-11-30' }, now, DEFAULT_CALENDAR);
  const measure = (id: string) => report.measures.find((m) => m.id === id);

  it('counts only decided cases', () => {
    expect(measure('called-within-5-days')).toMatchObject({ numerator: 2, denominator: 4 }); // a, e met; b late; c overdue; d due
    expect(measure('started-within-14-days')).toMatchObject({ numerator: 1, denominator: 2 }); // a met; e overdue; b still due
  });

  it('counts service weeks by their first day', () => {
    // Family a: weeks of Nov 1 (met both), Nov 8 (caregiver met, collateral missed), Nov 15 (met both), Nov 22 (current: due, not counted).
    expect(measure('weeks-with-caregiver-contact')).toMatchObject({ numerator: 3, denominator: 3 });
    expect(measure('weeks-with-collateral-contact')).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('summarises the waitlist, the wait counted from the caregiver contact, not the referral', () => {
    expect(report.waitlist).toMatchObject({ length: 1, daysWaited: [19], longestDaysWaited: 19 });
  });

  it('counts every episode of a re-referred youth, and the youth as one family', () => {
    const earlier = episode(
      { id: 'a0', status: 'completed', stage: 'discharged', authoredOn: '2026-10-20T14:00:00Z' },
      [contact('2026-10-21T14:00:00Z')],
    );
    const current = episode({ id: 'a1', status: 'requested', authoredOn: '2026-11-10T14:00:00Z' }, [
      contact('2026-11-11T14:00:00Z'),
    ]);
    const r = qualityReport(
      [
        { youthId: 'y', ...current },
        { youthId: 'y', ...earlier },
      ],
      { from: '2026-10-01', to: '2026-11-30' },
      now,
      DEFAULT_CALENDAR,
    );
    expect(r.families).toBe(1);
    const called = r.measures.find((m) => m.id === 'called-within-5-days');
    expect(called).toMatchObject({ numerator: 2, denominator: 2 });
  });

  it('has no score where nothing was decided', () => {
    expect(measure('discharge-plan-within-5-business-days')).toMatchObject({
      numerator: 0,
      denominator: 0,
      score: undefined,
    });
  });

  it('is a valid R4 MeasureReport', () => {
    const mr = toMeasureReport(report, { date: '2026-11-22T17:00:00Z', reporter: 'Organization/org-harbor' });
    expect(() => validateForWrite(mr as never)).not.toThrow();
    expect(mr.group?.[0].measureScore?.value).toBe(0.5);
    const waitlist = mr.group?.find((g) => g.code?.coding?.[0].code === 'waitlist-length');
    expect(waitlist?.population?.[0].count).toBe(1);
  });

  it('counts the team meetings attended per family in the period (meetings outside it are not counted)', () => {
    const withMeetings = caseload.map((c, i) =>
      i === 0
        ? { ...c, meetings: [{ start: '2026-11-03T15:00:00Z' }, { start: '2026-10-01T15:00:00Z' }] }
        : i === 1
          ? { ...c, meetings: [{ start: '2026-11-20T15:00:00Z' }] }
          : c,
    );
    const r = qualityReport(withMeetings, { from: '2026-10-25', to: '2026-11-30' }, now, DEFAULT_CALENDAR);
    expect(r.meetings.total).toBe(2);
    expect(r.meetings.perFamily.slice(0, 2)).toEqual([1, 1]);
    expect(r.meetings.families).toBe(2);
    expect(qualityToCsv(r)).toContain('\r\nteam-meetings,Team meetings attended in the period,,,2,');
  });

  it('exports CSV with one row per measure', () => {
    const lines = qualityToCsv(report).trim().split('\r\n');
    expect(lines[0]).toBe('measure,title,numerator,denominator,value,definition');
    expect(lines[1]).toMatch(
      /^called-within-5-days,Referrals with the caregiver called within 5 calendar days,2,4,50\.0,Referrals made in the period/,
    );
    expect(lines.some((l) => l.startsWith('waitlist-length,Families on the waitlist,,,1,'))).toBe(true);
  });

  it('the screen, the CSV and the MeasureReport show the same rows from one computation, each with its definition', () => {
    const rows = reportRows(report);
    expect(rows.map((r) => r.id)).toEqual([
      'called-within-5-days',
      'started-within-14-days',
      'weeks-with-caregiver-contact',
      'weeks-with-collateral-contact',
      'discharge-plan-within-5-business-days',
      'waitlist-length',
      'waitlist-average-days',
      'waitlist-longest-days',
      'team-meetings',
      'families-with-team-meetings',
      'satisfaction-surveys',
      'satisfaction-surveys-by-caregiver',
      'satisfaction-mean',
      'caregivers-satisfied',
      'goal-attainment-change',
      'families-goal-attainment-improved',
    ]);
    for (const r of rows) expect(r.definition.length, r.id).toBeGreaterThan(20);
    // The partial-week rule is stated where the weeks are counted.
    expect(rows.find((r) => r.id === 'weeks-with-caregiver-contact')?.definition).toContain(
      'a week counts by its first day',
    );
    const csvIds = qualityToCsv(report)
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(csvIds).toEqual(rows.map((r) => r.id));
    const groups = toMeasureReport(report, { date: '2026-11-30T00:00:00Z' }).group ?? [];
    expect(groups.map((g) => g.code?.coding?.[0].code)).toEqual(rows.map((r) => r.id));
    const meetings = groups.find((g) => g.code?.coding?.[0].code === 'families-with-team-meetings');
    expect(meetings?.population?.map((p) => p.count)).toEqual([report.families, report.meetings.families]);
  });

  it('counts a family that stopped without notice and has no delivered plan as not met', () => {
    const referral: Referral = {
      id: 's',
      status: 'in-progress',
      stage: 'stopped',
      authoredOn: '2026-10-01T14:00:00Z',
      lastModified: '2026-11-05T14:00:00Z',
      fstMarks: ['profile'],
    };
    const contacts = [
      contact('2026-10-02T14:00:00Z'),
      contact('2026-10-05T14:00:00Z', 'caregiver', 'face-to-face'),
    ];
    const compliance = evaluateEpisode(
      episodeFor({ referral, contacts, plans: [], dischargePlans: [] }),
      now,
      DEFAULT_CALENDAR,
    );
    const stoppedReport = qualityReport(
      [{ referral, compliance }],
      { from: '2026-10-01', to: '2026-11-30' },
      now,
      DEFAULT_CALENDAR,
    );
    expect(
      stoppedReport.measures.find((m) => m.id === 'discharge-plan-within-5-business-days'),
    ).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
  });
});
