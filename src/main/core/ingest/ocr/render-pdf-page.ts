import type { ImageLimits } from '../limits';
import { ParseFailure } from '../parse-failure';
import { loadPdfJs, openPdf, type PdfDocument, type PdfJs } from '../parsers/pdf';
import { fitPixels, grayFromRgba, shrink, type GrayImage } from './gray-image';
import { scanImageOf } from './scan-image';
import { RENDER_DPI } from './ocr-types';

type Canvas = typeof import('@napi-rs/canvas');
/** pdfjs types its target as the DOM's 2D context; @napi-rs/canvas implements the same drawing calls. */
type RenderCanvasContext = Parameters<import('../parsers/pdf').PdfPage['render']>[0]['canvasContext'];
let canvasPromise: Promise<Canvas> | undefined;

/**
 * One PDF page as grey pixels: a scanner's page (one image over the whole
 * page) as its image, at the scanner's resolution (scan-image.ts); any
 * other page rendered at RENDER_DPI. Both at most `limits.maxOcrPixels`.
 *
 * pdfjs draws onto a canvas; in Node it uses @napi-rs/canvas (Skia, shipped
 * as prebuilt binaries per platform in npm packages, so nothing is compiled
 * or downloaded at install), which is the canvas pdfjs-dist itself looks for
 * and declares. Image streams are decoded here, which text extraction never
 * does: a decompression bomb hidden in an image is stopped by the pool's
 * memory watchdog (the page fails with `out_of_memory`).
 */
export async function renderPdfPage(
  bytes: Uint8Array,
  pageNumber: number,
  limits: ImageLimits,
  fileKey?: string,
): Promise<GrayImage> {
  const [pdfjs, canvasModule] = await Promise.all([loadPdfJs(), loadCanvas()]);
  const document = await openDocument(pdfjs, bytes, fileKey);
  try {
    if (pageNumber < 1 || pageNumber > document.numPages) {
      throw new ParseFailure('corrupt', `This PDF has no page ${pageNumber} (it has ${document.numPages}).`);
    }
    const page = await document.getPage(pageNumber);
    const scan = await scanImageOf(pdfjs, page);
    if (scan) {
      page.cleanup();
      const fit = fitPixels(scan.width, scan.height, limits.maxOcrPixels);
      return shrink(scan, fit.width, fit.height);
    }
    const natural = page.getViewport({ scale: RENDER_DPI / 72 });
    const { scale } = fitPixels(natural.width, natural.height, limits.maxOcrPixels);
    const viewport = page.getViewport({ scale: (RENDER_DPI / 72) * scale });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));
    const canvas = canvasModule.createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    await page.render({
      canvasContext: context as unknown as RenderCanvasContext,
      viewport,
    }).promise;
    const gray = grayFromRgba(context.getImageData(0, 0, width, height).data, width, height);
    // Skia's pixels live outside the JS heap and go only when the canvas is collected: let them go now.
    canvas.width = 0;
    canvas.height = 0;
    page.cleanup();
    return gray;
  } finally {
    if (!fileKey) await document.destroy().catch(() => undefined);
  }
}

/** The one PDF this thread keeps open between pages (the OCR pool replaces its thread every few pages). */
let kept: { key: string; document: Promise<PdfDocument> } | undefined;

/** The document as text extraction opened it, its cross-reference rebuilt if it was damaged (so page numbers agree). */
function openDocument(pdfjs: PdfJs, bytes: Uint8Array, fileKey: string | undefined): Promise<PdfDocument> {
  const open = (): Promise<PdfDocument> => openPdf(pdfjs, bytes).then((opened) => opened.document);
  if (!fileKey) return open();
  if (kept?.key === fileKey) return kept.document;
  const previous = kept;
  kept = { key: fileKey, document: open() };
  kept.document.catch(() => (kept = undefined));
  void previous?.document.then((document) => document.destroy()).catch(() => undefined);
  return kept.document;
}

function loadCanvas(): Promise<Canvas> {
  canvasPromise ??= import('@napi-rs/canvas');
  return canvasPromise;
}
