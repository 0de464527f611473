import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A line of text and the font size it is set in. */
export type SizedLine = [text: string, size: number];

/**
 * A PDF with the given lines on each page, top to bottom, each at its font
 * size (a blank line's worth of space after larger type, as headings have),
 * and an optional Title property.
 */
export async function sizedPdf(pages: SizedLine[][], title?: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (title !== undefined) pdf.setTitle(title);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    let y = 780;
    for (const [text, size] of lines) {
      page.drawText(text, { x: 50, y, size, font });
      y -= size * 1.6;
    }
  }
  return pdf.save();
}
