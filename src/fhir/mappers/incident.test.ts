import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import {
  closedReview,
  incidentResources,
  isIncidentReport,
  isIncidentReview,
  parseIncident,
  parseIncidentReview,
} from './incident';

describe('incident report ⇄ AdverseEvent, review ⇄ Task', () => {
  const now = new Date('2026-11-18T20:00:00Z');
  const draft = {
    requestId: 'inc-1',
    patientId: 'youth-02',
    occurredAt: '2026-11-18T18:30:00.000Z',
    category: 'missing-youth' as const,
    seriousness: 'serious' as const,
    whatHappened: 'Ethan left home after an argument',
    immediateActions: 'Called the police and the on-call clinician',
    notifications: [
      { party: 'caregiver' as const, who: 'Loretta Walker', at: '2026-11-18T18:40:00.000Z' },
      { party: 'authority' as const, who: 'Police, report 2026-1182', at: '2026-11-18T18:45:00.000Z' },
    ],
    recordedBy: 'Practitioner/fp-rosa',
  };

  it('are valid resources of our profiles and read back as written', () => {
    const r = incidentResources(draft, 'urn:uuid:report', now);
    expect(() => validateForWrite(r.report as never)).not.toThrow();
    expect(() =>
      validateForWrite({ ...r.review, focus: { reference: 'AdverseEvent/a1' } } as never),
    ).not.toThrow();
    expect(isIncidentReport(r.report)).toBe(true);
    expect(isIncidentReview(r.review)).toBe(true);
    const parsed = parseIncident({ ...r.report, id: 'a1' });
    expect(parsed.ok && parsed.value).toEqual({
      id: 'a1',
      occurredAt: draft.occurredAt,
      recordedAt: now.toISOString(),
      category: 'missing-youth',
      seriousness: 'serious',
      whatHappened: draft.whatHappened,
      immediateActions: draft.immediateActions,
      notifications: draft.notifications,
      recordedBy: 'Practitioner/fp-rosa',
      versionId: undefined,
    });
    expect(r.review.priority).toBe('urgent');
  });

  it('a closed review carries the note (our profile refuses one without)', () => {
    const r = incidentResources(draft, 'urn:uuid:report', now);
    const task = { ...r.review, id: 't1', focus: { reference: 'AdverseEvent/a1' } };
    expect(() => validateForWrite({ ...task, status: 'completed' } as never)).toThrow();
    const closed = closedReview(task, 'Reviewed; police report on file.', 'Practitioner/sfp-dana', now);
    expect(() => validateForWrite(closed as never)).not.toThrow();
    expect(parseIncidentReview(closed)).toEqual({
      id: 't1',
      incidentId: 'a1',
      status: 'completed',
      patientId: 'youth-02',
      note: 'Reviewed; police report on file.',
      authorityReport: undefined,
      noReportReason: undefined,
      versionId: undefined,
    });
  });

  it('a closed review keeps the authority report made, or why none was needed — valid against our profile', () => {
    const r = incidentResources(draft, 'urn:uuid:report', now);
    const task = { ...r.review, id: 't1', focus: { reference: 'AdverseEvent/a1' } };
    const report = { who: 'DCF hotline, 51A #4471', at: now.toISOString() };
    const reported = closedReview(task, 'Reviewed.', 'Practitioner/sfp-dana', now, {
      kind: 'reported',
      report,
    });
    expect(() => validateForWrite(reported as never)).not.toThrow();
    expect(parseIncidentReview(reported)?.authorityReport).toEqual({ party: 'authority', ...report });
    const waived = closedReview(task, 'Reviewed.', 'Practitioner/sfp-dana', now, {
      kind: 'not-needed',
      reason: 'Dose an hour late, no harm',
    });
    expect(() => validateForWrite(waived as never)).not.toThrow();
    expect(parseIncidentReview(waived)?.noReportReason).toBe('Dose an hour late, no harm');
  });
});
