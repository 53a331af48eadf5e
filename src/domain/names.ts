/**
 * Invisible marks in a name (issue 36): bidirectional controls (U+202A–202E, U+2066–2069, U+200E/F), zero-width
 * spaces and joiners that carry no letter (U+200B, U+2060–2064, U+FEFF) and soft hyphens. They make one name
 * look like another, reorder what follows it, and turn up in CSVs, copied text and screen readers. ZWJ and ZWNJ
 * (U+200C/D) are kept: some scripts spell with them.
 */
const INVISIBLE = /[\u00AD\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** `text` without invisible marks, its spaces collapsed: the one place a name is cleaned. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}
