/**
 * Matching a family to a Family Partner (seed 000 process 7: ethnicity, culture, language, needs and
 * strengths as closely as possible). What the record can tell: language first (the caregiver's preferred
 * language against the languages the Family Partner speaks), then room in the caseload. Each suggestion
 * says why, in the words a supervisor reads: "speaks Spanish · 7 families of 12 maximum".
 */

export interface FamilyPartnerCandidate {
  /** `PractitionerRole/…`: what Task.owner becomes. */
  roleReference: string;
  name: string;
  /** BCP-47 codes the Family Partner speaks. */
  languages: readonly string[];
  /** Open FST referrals the Family Partner owns now. */
  caseload: number;
  /** How many families they can carry. */
  capacity: number;
}

export interface Suggestion {
  candidate: FamilyPartnerCandidate;
  speaksPreferred: boolean;
  /** Any of the caregiver's languages. */
  speaksAny: boolean;
  full: boolean;
  /** "speaks Spanish · 7 families of 12 maximum" */
  why: string;
}

const primary = (code: string) => code.toLowerCase().split('-')[0];

/**
 * Ranks Family Partners for a family: those speaking the caregiver's preferred language first, then
 * any of their languages, then the rest; within each, those with room before those at capacity, the
 * lightest caseload first. `languageName` turns a code into words for the reason.
 */
export function rankFamilyPartners(
  caregiverLanguages: readonly string[],
  candidates: readonly FamilyPartnerCandidate[],
  languageName: (code: string) => string,
): Suggestion[] {
  const preferred = caregiverLanguages[0] ? primary(caregiverLanguages[0]) : undefined;
  const wanted = new Set(caregiverLanguages.map(primary));
  const suggestions = candidates.map((candidate): Suggestion => {
    const spoken = candidate.languages.map(primary);
    const speaksPreferred = preferred !== undefined && spoken.includes(preferred);
    const shared = spoken.filter((l) => wanted.has(l));
    const full = candidate.caseload >= candidate.capacity;
    const language = shared.length
      ? `speaks ${[...new Set(shared)].map(languageName).join(', ')}`
      : preferred
        ? `does not speak ${languageName(preferred)}`
        : 'no language preference recorded';
    return {
      candidate,
      speaksPreferred,
      speaksAny: shared.length > 0,
      full,
      why: `${language} · ${candidate.caseload} ${candidate.caseload === 1 ? 'family' : 'families'} of ${candidate.capacity} maximum${full ? ' (full)' : ''}`,
    };
  });
  const rank = (s: Suggestion) => (s.speaksPreferred ? 0 : s.speaksAny ? 1 : 2) * 2 + (s.full ? 1 : 0);
  return suggestions.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.candidate.caseload / a.candidate.capacity - b.candidate.caseload / b.candidate.capacity ||
      a.candidate.name.localeCompare(b.candidate.name),
  );
}
