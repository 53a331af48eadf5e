/** pdfkit 0.20's `pdfkit/output` helpers, which @types/pdfkit (0.17) does not describe yet. */
declare module 'pdfkit/output' {
  export function toBytes(doc: PDFKit.PDFDocument): Promise<Uint8Array>;
  export function toBlob(doc: PDFKit.PDFDocument): Promise<Blob>;
}
