/**
 * Reads a PDF the way a screen reader or a search does: its text (from the embedded fonts' Unicode maps),
 * its document language, and the roles of its structure tree. pdfjs-dist's legacy build runs in Node.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfReading {
  text: string;
  lang?: string;
  title?: string;
  /** Structure roles in document order (H1, H2, P, L, LI, Figure…). */
  roles: string[];
  /** Alternate texts of figures. */
  alts: string[];
  pages: number;
  /** Each page's text, in order. */
  pageTexts: string[];
  tagged: boolean;
}

interface StructNode {
  role?: string;
  alt?: string;
  children?: StructNode[];
}

export async function readPdf(bytes: Uint8Array): Promise<PdfReading> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const parts: string[] = [];
  const roles: string[] = [];
  const alts: string[] = [];
  const walk = (n: StructNode | null | undefined) => {
    if (!n) return;
    if (n.role && n.role !== 'Root') roles.push(n.role);
    if (n.alt) alts.push(n.alt);
    for (const c of n.children ?? []) walk(c);
  };
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    parts.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
    walk((await page.getStructTree()) as StructNode | null);
  }
  const meta = await pdf.getMetadata();
  const info = meta.info as { Language?: string; Title?: string; IsAcroFormPresent?: boolean };
  const markInfo = await pdf.getMarkInfo();
  const reading: PdfReading = {
    text: parts.join('\n'),
    lang: info.Language,
    title: info.Title,
    roles,
    alts,
    pages: pdf.numPages,
    pageTexts: parts,
    tagged: markInfo?.Marked === true,
  };
  await pdf.destroy();
  return reading;
}
