import { describe, expect, it } from 'vitest';
import type { LivedExperienceArea } from './matching';
import { overrideReasonRequired, rankFamilyPartners } from './matching';

const names: Record<string, string> = { es: 'Spanish', en: 'English', vi: 'Vietnamese' };
const languageName = (c: string) => names[c] ?? c;
const fp = (name: string, languages: string[], caseload: number, capacity = 12) => ({
  roleReference: `PractitionerRole/${name}`,
  name,
  languages,
  caseload,
  capacity,
});

describe('matching a family to a Family Partner', () => {
  it("puts the caregiver's preferred language first among those with room, and says why", () => {
    const ranked = rankFamilyPartners(
      ['es', 'en'],
      [fp('Dana', ['en'], 2), fp('Rosa', ['es', 'en'], 7), fp('Luz', ['es-MX'], 12)],
      languageName,
    );
    // Among the available first (Luz is full): see seed 000 process 7 below.
    expect(ranked.map((s) => s.candidate.name)).toEqual(['Rosa', 'Dana', 'Luz']);
    expect(ranked[0].why).toBe('speaks Spanish, English · 7 families of 12 maximum');
    expect(ranked[2].why).toBe('speaks Spanish · 12 families of 12 maximum (full)');
    expect(ranked[1].why).toBe('speaks English · 2 families of 12 maximum');
  });

  it('ranks by room when the language does not decide', () => {
    const ranked = rankFamilyPartners(
      [],
      [fp('A', ['en'], 9), fp('B', ['en'], 3), fp('C', ['en'], 12)],
      languageName,
    );
    expect(ranked.map((s) => s.candidate.name)).toEqual(['B', 'A', 'C']);
    expect(ranked[0].why).toBe('no language preference recorded · 3 families of 12 maximum');
  });

  it('says when nobody speaks the family’s language', () => {
    const [only] = rankFamilyPartners(['vi'], [fp('A', ['en'], 1)], languageName);
    expect(only.why).toBe('does not speak Vietnamese · 1 family of 12 maximum');
  });

  // Seed 000 process 7: matched on "ethnicity, culture, language, needs, and strengths" as closely as possible.
  it('then matches the lived experience the caregiver asked for, and names it', () => {
    const withExperience = (name: string, caseload: number, areas: LivedExperienceArea[]) => ({
      ...fp(name, ['en'], caseload),
      livedExperience: areas,
    });
    const ranked = rankFamilyPartners(
      ['en'],
      [
        withExperience('Light', 1, []),
        withExperience('Court', 6, ['juvenile-court']),
        withExperience('Both', 8, ['special-education', 'juvenile-court']),
        withExperience('Full', 12, ['special-education', 'juvenile-court']),
      ],
      languageName,
      { areas: ['special-education', 'juvenile-court'], culture: 'Cape Verdean community' },
    );
    // Room before experience: a full caseload cannot take the family, whatever it brings.
    expect(ranked.map((s) => s.candidate.name)).toEqual(['Both', 'Court', 'Light', 'Full']);
    expect(ranked[0].why).toBe(
      'speaks English · lived experience: special education (IEP), juvenile court or CHINS · 8 families of 12 maximum',
    );
    expect(ranked[2].why).toBe(
      'speaks English · none of the lived experience asked for · 1 family of 12 maximum',
    );
    // The supervisor may choose another, with a reason.
    expect(overrideReasonRequired(ranked, 'PractitionerRole/Both')).toBe(false);
    expect(overrideReasonRequired(ranked, 'PractitionerRole/Light')).toBe(true);
  });
});

describe('seed 000 process 7: "as closely as possible … with available Family Partners"', () => {
  it('ranks among the available first: a full caseload that speaks the language comes after every one with room', () => {
    const ranked = rankFamilyPartners(
      ['es'],
      [fp('Luz', ['es'], 12), fp('Dana', ['en'], 2), fp('Rosa', ['es'], 7)],
      languageName,
    );
    expect(ranked.map((s) => s.candidate.name)).toEqual(['Rosa', 'Dana', 'Luz']);
  });

  it("scores the caregiver's culture against the Family Partner's own, and says it", () => {
    const ranked = rankFamilyPartners(
      ['en'],
      [
        { ...fp('Light', ['en'], 1), cultures: ['Haitian'] },
        { ...fp('Shared', ['en'], 6), cultures: ['Cape Verdean'] },
      ],
      languageName,
      { areas: [], culture: 'Cape Verdean community in Brockton' },
    );
    expect(ranked.map((s) => s.candidate.name)).toEqual(['Shared', 'Light']);
    expect(ranked[0].why).toContain('shares the family’s culture: Cape Verdean');
  });
});
