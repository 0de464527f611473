import type { ImageLimits } from '../limits';

/** One page to read with OCR, as the OCR job hands it to a parser thread. Plain data (structured clone). */
export interface OcrPageRequest {
  /** How to get the page's pixels: render it from the PDF, or decode that frame of the image. */
  source: 'pdf' | 'image';
  /** The whole file. Backed by a SharedArrayBuffer, so sending it page after page copies nothing. */
  bytes: Uint8Array;
  /** 1-based page (PDF) or frame (image). */
  page: number;
  /**
   * Names the file (its sha256): a thread reading several pages of one PDF
   * keeps it open between them instead of copying and parsing it per page.
   * Default: opened for this page only.
   */
  fileKey?: string;
  /** Tesseract language codes, e.g. `['eng']`; every one must be packaged (see languages.ts). */
  languages: string[];
  /**
   * Mean word confidence (0-100) below which a reading is doubted: the page
   * is then tried upside down too, and the better reading kept.
   */
  minConfidence: number;
  limits: ImageLimits;
}

/** What OCR read on one page. */
export interface OcrPageResult {
  /** The text, lines joined by `\n`, paragraphs by a blank line; '' when the page holds none. */
  text: string;
  /** Tesseract's mean word confidence, 0-100 (0 when nothing was read). */
  confidence: number;
  /** Degrees clockwise the page was turned before it was read (0, 90, 180, 270). */
  rotation: number;
  /** Size of the image that was read, pixels. */
  width: number;
  height: number;
}

/** Resolution PDF pages are rendered at for OCR: what Tesseract is trained for, and what scanners use. */
export const RENDER_DPI = 300;
