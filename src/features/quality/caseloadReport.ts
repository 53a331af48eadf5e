/**
 * The caseload's episodes evaluated by the clocks, and the quality report over them: one computation for the
 * caseload screen, its CSV and MeasureReport, and the test that checks the report against the server's data.
 */
import type { CalendarConfig } from '../../domain/calendar';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { caseloadEntry } from '../../domain/caseload';
import type { CaseloadEntry } from '../../domain/caseload';
import { evaluateEpisode } from '../../domain/compliance';
import type { EpisodeCompliance } from '../../domain/compliance';
import { episodeFor } from '../../domain/episode';
import type { Referral } from '../../domain/model';
import { outcomesOfEpisode } from '../../domain/outcomes';
import { qualityReport } from '../../domain/quality';
import type { QualityReport } from '../../domain/quality';
import type { Caseload, CaseloadFamily } from '../../fhir/caseload';

export interface EvaluatedFamily {
  family: CaseloadFamily;
  compliance: EpisodeCompliance;
  entry: CaseloadEntry;
  /** The youth's earlier episodes (before a re-referral), each with its clocks. */
  earlier: { referral: Referral; compliance: EpisodeCompliance }[];
}

export function evaluateCaseload(
  caseload: Pick<Caseload, 'families' | 'staff'> | undefined,
  now: Date,
  cal: CalendarConfig,
  reviewIntervalDays: number,
): EvaluatedFamily[] {
  const evaluate = (f: CaseloadFamily, referral: Referral) =>
    evaluateEpisode(
      episodeFor({
        ...f,
        referral,
        referrals: [f.referral, ...f.earlierReferrals],
        fstStaff: caseload?.staff?.references,
        reviewIntervalDays,
      }),
      now,
      cal,
    );
  const today = civilToIso(civilDateOf(now, cal.timeZone));
  return (caseload?.families ?? []).map((f) => {
    const compliance = evaluate(f, f.referral);
    return {
      family: f,
      compliance,
      entry: caseloadEntry(f.youth, f.referral, compliance, today),
      earlier: f.earlierReferrals.map((referral) => ({ referral, compliance: evaluate(f, referral) })),
    };
  });
}

/** The quality report of the evaluated caseload for a period. */
export function caseloadQualityReport(
  evaluated: readonly EvaluatedFamily[],
  period: { from: string; to: string },
  now: Date,
  cal: CalendarConfig,
): QualityReport {
  return qualityReport(
    // Every episode in the period counts, a re-referred youth's earlier one too (one family).
    // Each episode carries its own outcomes, so a re-referral leaves the earlier episode's measures as they were.
    evaluated.flatMap((e) => {
      const all = [e.family.referral, ...e.family.earlierReferrals];
      const own = (referral: Referral) => outcomesOfEpisode(e.family.outcomes, referral, all);
      return [
        {
          youthId: e.family.youth.id,
          referral: e.family.referral,
          compliance: e.compliance,
          meetings: e.family.meetings,
          outcomes: own(e.family.referral),
        },
        ...e.earlier.map((x) => ({ youthId: e.family.youth.id, ...x, outcomes: own(x.referral) })),
      ];
    }),
    period,
    now,
    cal,
  );
}
