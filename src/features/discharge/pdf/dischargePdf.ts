/**
 * The discharge plan as a tagged PDF (PDF/UA): document language set, a structure tree of headings,
 * paragraphs, lists and a described signature figure, and an embedded font that renders Spanish. pdfkit is
 * the only browser PDF library that writes structure tags. This module and pdfkit load lazily: only when a
 * plan is printed or finalised.
 */
import PDFDocument from 'pdfkit';
import { toBytes } from 'pdfkit/output';
import { createIntl } from 'react-intl';
import type { Messages } from '../../../i18n/catalogues';
import { LANGUAGE_TAG } from '../../../i18n/catalogues';
import type { DischargeDocument } from '../dischargeDocument';
import { documentBlocks } from '../dischargeDocument';

export interface PdfFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

/** Sizes for reading on paper or a phone: body 12 pt, generous line gap. */
const SIZE = { title: 20, heading: 14, body: 12 } as const;

export async function dischargePdf(
  d: DischargeDocument,
  messages: Messages,
  fonts: PdfFonts,
): Promise<Uint8Array> {
  const lang = LANGUAGE_TAG[d.locale];
  // Civil dates are UTC midnights (see civilDay): formatted in UTC they are the same day in every zone.
  const intl = createIntl({ locale: lang, messages, timeZone: 'UTC', onError: rethrow });
  const t = (id: string, values?: Record<string, string | number | Date>) =>
    intl.formatMessage({ id }, values);
  const title = t('title');
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: 54, bottom: 54, left: 60, right: 60 },
    tagged: true,
    // pdfkit 0.20 writes PDF/UA; @types/pdfkit (0.17) lists only the PDF/A subsets.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    pdfVersion: '1.7',
    lang,
    displayTitle: true,
    info: { Title: title, Creator: 'FST Companion' },
    // No standard font: PDF/UA wants every font embedded (and Helvetica cannot be).
    font: null as unknown as string,
    // Pages are kept until the end, so each footer can say "page 2 of 3".
    bufferPages: true,
  });
  const done = toBytes(doc);
  doc.registerFont('Regular', fonts.regular);
  doc.registerFont('Bold', fonts.bold);
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  for (const block of documentBlocks(d, t)) {
    switch (block.kind) {
      case 'title':
        root.add(
          doc.struct('H1', {}, () => doc.font('Bold').fontSize(SIZE.title).text(block.text, { width })),
        );
        doc.moveDown(0.3);
        break;
      case 'heading':
        // A heading never stands alone at a page foot: it goes with at least three lines of what it heads.
        if (doc.y + KEEP_WITH_HEADING > doc.page.height - doc.page.margins.bottom) doc.addPage();
        else doc.moveDown(0.6);
        root.add(
          doc.struct('H2', {}, () => doc.font('Bold').fontSize(SIZE.heading).text(block.text, { width })),
        );
        doc.moveDown(0.2);
        break;
      case 'paragraph':
        root.add(
          doc.struct('P', {}, () =>
            doc.font('Regular').fontSize(SIZE.body).text(block.text, { width, lineGap: 3 }),
          ),
        );
        doc.moveDown(0.3);
        break;
      case 'list': {
        const list = doc.struct('L');
        root.add(list);
        doc.font('Regular').fontSize(SIZE.body);
        doc.list(block.items, { structParent: list, width, lineGap: 3, bulletRadius: 2.5 } as object);
        list.end();
        break;
      }
      case 'signature-line': {
        // A typed signature stands on a signature line, as on paper; the rule is decoration (an artifact).
        root.add(
          doc.struct('P', {}, () =>
            doc.font('Regular').fontSize(SIZE.heading).text(block.name, { width: SIGNATURE_WIDTH }),
          ),
        );
        const y = doc.y + 2;
        doc.markContent('Artifact', { type: 'Layout' });
        doc
          .moveTo(doc.page.margins.left, y)
          .lineTo(doc.page.margins.left + SIGNATURE_WIDTH, y)
          .lineWidth(0.75)
          .stroke();
        doc.endMarkedContent();
        doc.y = y + 4;
        break;
      }
      case 'signature':
        root.add(
          doc.struct('Figure', { alt: block.alt }, () =>
            doc.image(`data:image/png;base64,${block.png}`, { fit: [240, SIGNATURE_HEIGHT] }),
          ),
        );
        doc.moveDown(0.3);
        break;
    }
  }
  root.end();
  // Every page says whose plan it is and where it stands: "Sofía Ramírez · page 2 of 3" (a pagination
  // artifact, outside the structure tree).
  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font('Regular')
      .fontSize(FOOTER_SIZE)
      .text(
        t('footer', { youth: d.youth, page: i - pages.start + 1, pages: pages.count }),
        doc.page.margins.left,
        doc.page.height - bottom + 18,
        { width, align: 'center', lineBreak: false },
      );
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** Room a heading needs below it: its own line and what follows — three lines of text, or a drawn signature. */
const SIGNATURE_HEIGHT = 90;
const KEEP_WITH_HEADING = SIZE.heading * 1.6 + Math.max((SIZE.body + 3) * 3.6, SIGNATURE_HEIGHT + 12);
const SIGNATURE_WIDTH = 260;
const FOOTER_SIZE = 9;

function rethrow(err: Error): void {
  throw err;
}
