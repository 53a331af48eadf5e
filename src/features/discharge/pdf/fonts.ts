/**
 * The PDF's embedded font (Noto Sans, SIL Open Font License; the Latin subset covers Spanish), fetched as
 * static assets only when a plan is printed: about 34 KB for regular and bold.
 */
import boldUrl from '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff?url';
import regularUrl from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff?url';
import type { PdfFonts } from './dischargePdf';

async function bytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The PDF font could not be loaded (${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function loadPdfFonts(): Promise<PdfFonts> {
  const [regular, bold] = await Promise.all([bytes(regularUrl), bytes(boldUrl)]);
  return { regular, bold };
}
