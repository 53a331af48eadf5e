/**
 * Matching a family to a Family Partner (seed 000 process 7: "ethnicity, culture, language, needs, and
 * strengths" as closely as possible "with available Family Partners"). What the record can tell, in this order:
 * room in the caseload (the available first), language (the caregiver's preferred language against the languages
 * the Family Partner speaks), culture (the caregiver's words naming a culture the Family Partner shares), then the
 * lived experience the caregiver asked for at referral (special education, child welfare, juvenile court…)
 * against the Family Partner's own, then the lightest caseload. Each suggestion says why:
 * "speaks Spanish · lived experience: special education · 7 families of 12 maximum". Choosing another than
 * the first takes a reason, which is kept on the referral.
 */

/** Areas of lived experience a caregiver may ask for, and a Family Partner may bring (seed 000 training m–o). */
export const LIVED_EXPERIENCE_AREAS = {
  'special-education': 'special education (IEP)',
  'child-welfare': 'child welfare (DCF) involvement',
  'juvenile-court': 'juvenile court or CHINS',
  'psychiatric-care': 'a youth’s psychiatric hospitalisation',
  'substance-use': 'substance use in the family',
  'developmental-disability': 'developmental disability',
} as const;
export type LivedExperienceArea = keyof typeof LIVED_EXPERIENCE_AREAS;
export const LIVED_EXPERIENCE_CODES = Object.keys(LIVED_EXPERIENCE_AREAS) as LivedExperienceArea[];

/** What the caregiver asked for in a Family Partner, recorded at referral. */
export interface MatchPreferences {
  areas: LivedExperienceArea[];
  /** Culture or community, in the caregiver's words. */
  culture?: string;
  /** Ethnicity, in the caregiver's words: matched like culture against the Family Partner's own. */
  ethnicity?: string;
  /** The caregiver's strengths, in the referrer's words: shown beside the choice, for the Family Partner to build on. */
  strengths?: string;
}

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
  /** Areas of the Family Partner's own lived experience. */
  livedExperience?: readonly LivedExperienceArea[];
  /** Cultures or communities the Family Partner shares, in their own words (e.g. "Cape Verdean"). */
  cultures?: readonly string[];
}

export interface Suggestion {
  candidate: FamilyPartnerCandidate;
  speaksPreferred: boolean;
  /** Any of the caregiver's languages. */
  speaksAny: boolean;
  full: boolean;
  /** The areas asked for that the Family Partner brings. */
  sharedExperience: LivedExperienceArea[];
  /** The Family Partner's cultures named in the caregiver's words. */
  sharedCulture: string[];
  /** "speaks Spanish · lived experience: special education (IEP) · 7 families of 12 maximum" */
  why: string;
}

const primary = (code: string) => code.toLowerCase().split('-')[0];

/**
 * Ranks Family Partners for a family: those speaking the caregiver's preferred language first, then any of
 * their languages, then the rest; within each, those with room before those at capacity; then the most of the
 * lived experience asked for; then the lightest caseload. `languageName` turns a code into words.
 */
export function rankFamilyPartners(
  caregiverLanguages: readonly string[],
  candidates: readonly FamilyPartnerCandidate[],
  languageName: (code: string) => string,
  preferences: MatchPreferences = { areas: [] },
): Suggestion[] {
  const preferred = caregiverLanguages[0] ? primary(caregiverLanguages[0]) : undefined;
  const wanted = new Set(caregiverLanguages.map(primary));
  const suggestions = candidates.map((candidate): Suggestion => {
    const spoken = candidate.languages.map(primary);
    const speaksPreferred = preferred !== undefined && spoken.includes(preferred);
    const shared = spoken.filter((l) => wanted.has(l));
    const full = candidate.caseload >= candidate.capacity;
    const sharedExperience = preferences.areas.filter((a) => candidate.livedExperience?.includes(a));
    const culture = [preferences.culture, preferences.ethnicity]
      .filter(Boolean)
      .join(' ')
      .toLocaleLowerCase();
    const sharedCulture = culture
      ? (candidate.cultures ?? []).filter((c) => c.trim() && culture.includes(c.trim().toLocaleLowerCase()))
      : [];
    const language = shared.length
      ? `speaks ${[...new Set(shared)].map(languageName).join(', ')}`
      : preferred
        ? `does not speak ${languageName(preferred)}`
        : 'no language preference recorded';
    const experience = preferences.areas.length
      ? sharedExperience.length
        ? ` · lived experience: ${sharedExperience.map((a) => LIVED_EXPERIENCE_AREAS[a]).join(', ')}`
        : ' · none of the lived experience asked for'
      : '';
    return {
      candidate,
      speaksPreferred,
      speaksAny: shared.length > 0,
      full,
      sharedExperience,
      sharedCulture,
      why: `${language}${sharedCulture.length ? ` · shares the family’s culture: ${sharedCulture.join(', ')}` : ''}${experience} · ${candidate.caseload} ${candidate.caseload === 1 ? 'family' : 'families'} of ${candidate.capacity} maximum${full ? ' (full)' : ''}`,
    };
  });
  // Seed 000 process 7: "as closely as possible … with available Family Partners" — those with room first,
  // then language, culture, the lived experience asked for, the lightest caseload.
  const rank = (s: Suggestion) => (s.full ? 3 : 0) + (s.speaksPreferred ? 0 : s.speaksAny ? 1 : 2);
  return suggestions.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      b.sharedCulture.length - a.sharedCulture.length ||
      b.sharedExperience.length - a.sharedExperience.length ||
      a.candidate.caseload / a.candidate.capacity - b.candidate.caseload / b.candidate.capacity ||
      a.candidate.name.localeCompare(b.candidate.name),
  );
}

/** Choosing another Family Partner than the best match takes a reason (kept on the referral). */
export function overrideReasonRequired(ranked: readonly Suggestion[], chosen: string): boolean {
  return ranked.length > 1 && ranked[0].candidate.roleReference !== chosen;
}
