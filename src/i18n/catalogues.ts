/**
 * The caregiver-facing texts (the discharge plan) in ICU message catalogues, one JSON file per language,
 * each loaded only when a plan in that language is previewed or printed. Staff screens stay in English.
 */
export type Locale = 'en' | 'es';
export type Messages = Record<string, string>;

const LOADERS: Record<Locale, () => Promise<{ default: Messages }>> = {
  en: () => import('./discharge/en.json'),
  es: () => import('./discharge/es.json'),
};

/** BCP-47 tags for the PDF's /Lang and the formatter (US English / US Spanish). */
export const LANGUAGE_TAG: Record<Locale, string> = { en: 'en-US', es: 'es-US' };

/** The first of the caregiver's languages (preferred first) that we have a catalogue for; English otherwise. */
export function caregiverLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'es' || primary === 'en') return primary;
  }
  return 'en';
}

export async function loadDischargeMessages(locale: Locale): Promise<Messages> {
  return (await LOADERS[locale]()).default;
}
