/**
 * CSV as every export writes it (RFC 4180): CRLF line ends, quoted where needed, and two defences — a byte-order
 * mark first, so Excel on Windows reads UTF-8 ("Sofía", not "SofÃ­a"), and a cell a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) neutralised with a leading apostrophe.
 */

/** The UTF-8 byte-order mark, the first character of every CSV file the app writes. */
export const CSV_BOM = '\uFEFF';

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line, CRLF-terminated. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole file: the byte-order mark, then each line. */
export function csvDocument(lines: readonly (readonly string[])[]): string {
  return CSV_BOM + lines.map(csvLine).join('');
}
