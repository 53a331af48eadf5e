/**
 * The plan's PDF, made on her phone from the very document she reads (the staff's PDF maker, loaded only when
 * she asks for it): the request carries no multi-megabyte file to a phone on a slow connection.
 */
import type { DischargeDocument } from '../features/discharge/dischargeDocument';
import { dischargePdf } from '../features/discharge/pdf/dischargePdf';
import { loadPdfFonts } from '../features/discharge/pdf/fonts';
import { loadDischargeMessages } from '../i18n/catalogues';

export async function downloadPlanPdf(document: DischargeDocument): Promise<void> {
  const [messages, fonts] = await Promise.all([loadDischargeMessages(document.locale), loadPdfFonts()]);
  const pdf = await dischargePdf(document, messages, fonts);
  const url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: 'application/pdf' }));
  const a = window.document.createElement('a');
  a.href = url;
  // No name or date of the family in the file name.
  a.download = 'plan.pdf';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
