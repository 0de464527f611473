import type { ImageLimits } from '../limits';
import { ParseFailure } from '../parse-failure';
import { loadPdfJs, openPdf } from '../parsers/pdf';
import { fitPixels, grayFromRgba, type GrayImage } from './gray-image';
import { RENDER_DPI } from './ocr-types';

type Canvas = typeof import('@napi-rs/canvas');
/** pdfjs types its target as the DOM's 2D context; @napi-rs/canvas implements the same drawing calls. */
type RenderCanvasContext = Parameters<import('../parsers/pdf').PdfPage['render']>[0]['canvasContext'];
let canvasPromise: Promise<Canvas> | undefined;

/**
 * Renders one PDF page to grey pixels at RENDER_DPI (less when that would
 * pass `limits.maxOcrPixels`).
 *
 * pdfjs draws onto a canvas; in Node it uses @napi-rs/canvas (Skia, shipped
 * as prebuilt binaries per platform in npm packages, so nothing is compiled
 * or downloaded at install), which is the canvas pdfjs-dist itself looks for
 * and declares. Image streams are decoded here, which text extraction never
 * does: a decompression bomb hidden in an image is stopped by the pool's
 * memory watchdog (the page fails with `out_of_memory`).
 */
export async function renderPdfPage(bytes: Uint8Array, pageNumber: number, limits: ImageLimits): Promise<GrayImage> {
  const [pdfjs, canvasModule] = await Promise.all([loadPdfJs(), loadCanvas()]);
  const document = await openPdf(pdfjs, bytes);
  try {
    if (pageNumber < 1 || pageNumber > document.numPages) {
      throw new ParseFailure('corrupt', `This PDF has no page ${pageNumber} (it has ${document.numPages}).`);
    }
    const page = await document.getPage(pageNumber);
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
    const rgba = context.getImageData(0, 0, width, height).data;
    page.cleanup();
    return grayFromRgba(rgba, width, height);
  } finally {
    await document.destroy().catch(() => undefined);
  }
}

function loadCanvas(): Promise<Canvas> {
  canvasPromise ??= import('@napi-rs/canvas');
  return canvasPromise;
}
