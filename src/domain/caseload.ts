/**
 * A caseload entry: one family on a Family Partner's list, with its next deadline first. Built from the
 * same compliance results the patient view shows. Past misses are counted apart: they are history to
 * review, not the next thing to do.
 */
import type { ClockResult, EpisodeCompliance } from './compliance';
import type { Referral, Youth } from './model';

export interface CaseloadEntry {
  youth: Pick<Youth, 'id' | 'name'>;
  referral: Pick<Referral, 'id' | 'status' | 'stage' | 'authoredOn'>;
  /** The next deadline: an overdue clock first, then the one due soonest; undefined when none is open. */
  attention?: ClockResult;
  /** Counts of clocks by status, for a compact row. */
  overdue: number;
  due: number;
  /** Past weeks without the required caregiver or collateral contact. */
  pastMissedWeeks: number;
}

const open = (c: ClockResult) => c.status === 'overdue' || c.status === 'due';
const deadline = (c: ClockResult) => c.daysLeft ?? Number.POSITIVE_INFINITY;

export function caseloadEntry(
  youth: Youth,
  referral: Referral,
  compliance: EpisodeCompliance,
): CaseloadEntry {
  const clocks = Object.values(compliance.clocks) as ClockResult[];
  const needing = clocks
    .filter(open)
    .sort(
      (a, b) => Number(b.status === 'overdue') - Number(a.status === 'overdue') || deadline(a) - deadline(b),
    );
  return {
    youth: { id: youth.id, name: youth.name },
    referral: {
      id: referral.id,
      status: referral.status,
      stage: referral.stage,
      authoredOn: referral.authoredOn,
    },
    attention: needing[0],
    overdue: clocks.filter((c) => c.status === 'overdue').length,
    due: clocks.filter((c) => c.status === 'due').length,
    pastMissedWeeks:
      (compliance.clocks['weekly-caregiver-contact'].pastMissed ?? 0) +
      (compliance.clocks['weekly-collateral-contact'].pastMissed ?? 0),
  };
}

/** By the next deadline: overdue first (longest overdue on top), then due soonest, then families with none. */
export function sortCaseload(entries: CaseloadEntry[]): CaseloadEntry[] {
  const key = (e: CaseloadEntry) => (e.attention ? deadline(e.attention) : Number.POSITIVE_INFINITY);
  return [...entries].sort((a, b) => key(a) - key(b) || a.youth.name.full.localeCompare(b.youth.name.full));
}
