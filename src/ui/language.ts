const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** "es" → "Spanish"; unknown codes are shown as given. */
export function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
