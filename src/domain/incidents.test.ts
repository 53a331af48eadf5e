import { describe, expect, it } from 'vitest';
import {
  authorityDecisionOverdue,
  authorityReportOverdue,
  authorityReportRequired,
  closeReviewProblem,
  incidentProblems,
  relevantAuthority,
} from './incidents';
import type { Incident, IncidentDraft } from './incidents';
import { decide } from './permissions';
import type { AppUser } from './permissions';

const at = '2026-11-18T15:00:00Z';
const incident = (extra: Partial<Incident> = {}): Incident => ({
  id: 'i',
  occurredAt: at,
  category: 'abuse-neglect',
  seriousness: 'non-serious',
  whatHappened: 'Bruise reported by the youth',
  immediateActions: 'Stayed with the youth, called the supervisor',
  notifications: [],
  ...extra,
});
const hours = (h: number) => new Date(Date.parse(at) + h * 3_600_000);

describe('the 24-hour authority-report flag', () => {
  it('is raised when a required report is still missing after 24 hours, not before', () => {
    expect(authorityReportOverdue(incident(), hours(23.9))).toBe(false);
    expect(authorityReportOverdue(incident(), hours(24.1))).toBe(true);
  });

  it('is cleared by a recorded authority report, and never raised when none is required', () => {
    const reported = incident({ notifications: [{ party: 'authority', who: 'DCF hotline, 51A #4471', at }] });
    expect(authorityReportOverdue(reported, hours(48))).toBe(false);
    const minor = incident({ category: 'medication', seriousness: 'non-serious' });
    expect(authorityReportRequired(minor)).toBe(false);
    expect(authorityReportOverdue(minor, hours(48))).toBe(false);
    expect(authorityReportRequired(incident({ category: 'medication', seriousness: 'serious' }))).toBe(true);
  });
});

describe('every incident: its authority report, or why none (seed 000 quality management 4)', () => {
  const minor = incident({ category: 'medication', seriousness: 'non-serious' });

  it('is flagged after 24 hours with neither, whatever its category', () => {
    expect(authorityDecisionOverdue(minor, undefined, hours(23))).toBe(false);
    expect(authorityDecisionOverdue(minor, undefined, hours(25))).toBe(true);
    expect(
      authorityDecisionOverdue(minor, { noReportReason: 'Dose given an hour late; no harm' }, hours(25)),
    ).toBe(false);
    expect(
      authorityDecisionOverdue(
        incident(),
        { authorityReport: { party: 'authority', who: 'DCF', at } },
        hours(25),
      ),
    ).toBe(false);
  });

  it('seed 000 quality management 4, "report any adverse incidents … to the relevant authorities": closing records to which authority, for every category', () => {
    const now = hours(30);
    expect(closeReviewProblem(minor, '', undefined, now)).toBe(
      'Write what you reviewed and decided before closing.',
    );
    // A medication error, an injury, a police contact: reported too — the agency's own incident system is
    // the relevant authority where no other is; "no report needed" is no answer.
    expect(closeReviewProblem(minor, 'Reviewed', undefined, now)).toMatch(/to which authority/);
    expect(closeReviewProblem(minor, 'Reviewed', { kind: 'not-needed', reason: 'No harm' }, now)).toMatch(
      /agency’s incident system/,
    );
    expect(
      closeReviewProblem(
        minor,
        'Reviewed',
        { kind: 'reported', report: { who: 'Agency incident system #88', at: hours(2).toISOString() } },
        now,
      ),
    ).toBeUndefined();
    expect(closeReviewProblem(incident(), 'Reviewed', { kind: 'not-needed', reason: 'x' }, now)).toContain(
      'DCF',
    );
    expect(relevantAuthority(incident({ category: 'police' }))).toMatch(/agency’s incident system/);
    expect(relevantAuthority(incident({ category: 'injury', seriousness: 'serious' }))).toMatch(
      /MassHealth plan/,
    );
    const report = (who: string, t: string) => ({ kind: 'reported' as const, report: { who, at: t } });
    expect(
      closeReviewProblem(incident(), 'Reviewed', report('DCF 51A #4471', hours(2).toISOString()), now),
    ).toBe(undefined);
    expect(closeReviewProblem(incident(), 'Reviewed', report('', hours(2).toISOString()), now)).toContain(
      'which authority',
    );
    expect(closeReviewProblem(incident(), 'Reviewed', report('DCF', hours(-1).toISOString()), now)).toContain(
      'after the incident',
    );
  });
});

describe('an incident report', () => {
  const draft = (extra: Partial<IncidentDraft> = {}): IncidentDraft => ({
    requestId: 'r',
    patientId: 'p',
    occurredAt: at,
    category: 'injury',
    seriousness: 'non-serious',
    whatHappened: 'Fell on the stairs',
    immediateActions: '',
    notifications: [],
    recordedBy: 'Practitioner/fp',
    ...extra,
  });
  it('needs when, category, seriousness and what happened; a notification needs who and a time after it', () => {
    expect(incidentProblems(draft(), hours(1))).toEqual([]);
    expect(
      incidentProblems(draft({ category: undefined, whatHappened: ' ' }), hours(1)).map((p) => p.field),
    ).toEqual(['category', 'whatHappened']);
    expect(incidentProblems(draft(), hours(-1)).map((p) => p.field)).toEqual(['occurredAt']);
    const early = draft({
      notifications: [{ party: 'caregiver', who: 'Mother', at: '2026-11-18T14:00:00Z' }],
    });
    expect(incidentProblems(early, hours(1)).map((p) => p.field)).toEqual(['notifications']);
  });

  it('is reported by FST staff and closed by a supervisor', () => {
    const user = (roles: string[]): AppUser => ({
      kind: 'Practitioner',
      references: ['Practitioner/me'],
      roles: new Set(roles as never),
    });
    expect(decide(user(['family-partner']), 'report-incident').allowed).toBe(true);
    expect(decide(user(['clinician']), 'report-incident').allowed).toBe(false);
    expect(decide(user(['family-partner']), 'review-incident').allowed).toBe(false);
    expect(decide(user(['fst-supervisor']), 'review-incident').allowed).toBe(true);
  });
});
