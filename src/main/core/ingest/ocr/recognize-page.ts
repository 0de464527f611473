import { decodeImageFrame } from './decode-image';
import { splitColumns } from './columns';
import { crop, rotate, toPgm, type GrayImage } from './gray-image';
import type { OcrPageRequest, OcrPageResult } from './ocr-types';
import { lineDirection } from './orientation';
import { renderPdfPage } from './render-pdf-page';
import { tesseractEngine, type TesseractEngine } from './tesseract-engine';

/**
 * Reads one page: its pixels (a rendered PDF page or a decoded image
 * frame), the way it is turned, then the text.
 *
 * Tesseract reads upright lines only. A page whose lines run up and down
 * (turned 90 or 270 degrees) is recognised from its projection profiles
 * before any OCR, and a sample of it read both ways decides which; a page
 * read with little confidence is tried upright and upside down too (three
 * passes at most). An upright page read well, the common case, costs one pass.
 *
 * A page in columns is cut at its gutters and read column by column
 * (columns.ts).
 *
 * `onProgress` is called as the work moves (Tesseract reports from inside
 * its long synchronous call), so the pool can tell slow from stuck and
 * keeps receiving this thread's memory figures.
 */
export async function recognizePage(request: OcrPageRequest, onProgress: () => void): Promise<OcrPageResult> {
  const image =
    request.source === 'pdf'
      ? await renderPdfPage(request.bytes, request.page, request.limits, request.fileKey)
      : await decodeImageFrame(request.bytes, request.page, request.limits);
  onProgress();
  const engine = await tesseractEngine();
  await engine.useLanguages(request.languages);
  const read = async (rotation: number): Promise<OcrPageResult> => {
    const turned = rotate(image, rotation);
    // Column by column, left to right; their confidences weighted by how much text each holds.
    const parts: Array<{ text: string; confidence: number }> = [];
    for (const column of splitColumns(turned)) {
      const { text, confidence } = await engine.recognize(toPgm(column), onProgress);
      if (tidy(text) !== '') parts.push({ text: tidy(text), confidence });
    }
    const length = parts.reduce((sum, part) => sum + part.text.length, 0);
    const confidence = length ? parts.reduce((sum, part) => sum + part.confidence * part.text.length, 0) / length : 0;
    const text = parts.map((part) => part.text).join('\n\n');
    return { text, confidence: Math.round(confidence), rotation, width: turned.width, height: turned.height };
  };
  const guess = lineDirection(image) === 'vertical' ? await likelierTurn(engine, image, onProgress) : 0;
  let best = await read(guess);
  // A doubtful reading may come from a wrong turn (a smudged page can fool the profile check):
  // upright, if it was not tried, and the opposite way, and the best of them is kept.
  if (best.text !== '' && best.confidence < request.minConfidence) {
    for (const rotation of new Set([0, (guess + 180) % 360])) {
      if (rotation === guess) continue;
      const other = await read(rotation);
      if (other.confidence > best.confidence) best = other;
    }
  }
  return best;
}

/** 90 or 270: whichever reads a sample from the middle of the page with more confidence. */
async function likelierTurn(engine: TesseractEngine, image: GrayImage, onProgress: () => void): Promise<number> {
  const sample = crop(image, image.width * 0.25, image.height * 0.2, image.width * 0.5, image.height * 0.6);
  let best = { rotation: 90, confidence: -1 };
  for (const rotation of [90, 270]) {
    const { confidence } = await engine.recognize(toPgm(rotate(sample, rotation)), onProgress);
    if (confidence > best.confidence) best = { rotation, confidence };
  }
  return best.rotation;
}

/** Tesseract's text with trailing spaces and runs of blank lines removed: lines by `\n`, paragraphs by one blank line. */
export function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
