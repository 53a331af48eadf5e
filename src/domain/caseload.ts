/**
 * A caseload entry: one family on a Family Partner's list, with the clock that needs attention first.
 * Built from the same compliance results the patient view shows.
 */
import type { ClockResult, EpisodeCompliance } from './compliance';
import type { Referral, Youth } from './model';

export interface CaseloadEntry {
  youth: Pick<Youth, 'id' | 'name'>;
  referral: Pick<Referral, 'id' | 'status' | 'stage' | 'authoredOn'>;
  /** The most urgent clock: overdue or missed first, then due soonest; undefined when all is met. */
  attention?: ClockResult;
  /** Counts of clocks by status, for a compact row. */
  overdue: number;
  due: number;
}

const URGENCY: Record<ClockResult['status'], number> = {
  overdue: 0,
  missed: 1,
  due: 2,
  late: 3,
  met: 4,
  'not-applicable': 5,
};

export function caseloadEntry(
  youth: Youth,
  referral: Referral,
  compliance: EpisodeCompliance,
): CaseloadEntry {
  const clocks = Object.values(compliance.clocks) as ClockResult[];
  const needing = clocks
    .filter((c) => c.status === 'overdue' || c.status === 'missed' || c.status === 'due')
    .sort((a, b) => URGENCY[a.status] - URGENCY[b.status] || (a.daysLeft ?? 0) - (b.daysLeft ?? 0));
  return {
    youth: { id: youth.id, name: youth.name },
    referral: {
      id: referral.id,
      status: referral.status,
      stage: referral.stage,
      authoredOn: referral.authoredOn,
    },
    attention: needing[0],
    overdue: clocks.filter((c) => c.status === 'overdue' || c.status === 'missed').length,
    due: clocks.filter((c) => c.status === 'due').length,
  };
}

/** Most urgent families first. */
export function sortCaseload(entries: CaseloadEntry[]): CaseloadEntry[] {
  const rank = (e: CaseloadEntry) => (e.attention ? URGENCY[e.attention.status] : 9);
  return [...entries].sort(
    (a, b) => rank(a) - rank(b) || (a.attention?.daysLeft ?? 99) - (b.attention?.daysLeft ?? 99),
  );
}
