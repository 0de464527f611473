import type { PdfJs, PdfPage } from '../parsers/pdf';
import { rotate, type GrayImage } from './gray-image';

/** Share of the page one image must cover to be the page (a scanner's output covers all of it). */
const MIN_COVERAGE = 0.85;
/** pdfjs' ImageKind values. */
const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;
const RGBA_32BPP = 3;

interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data?: Uint8ClampedArray;
}

/**
 * A scanned page is, almost always, one image laid over the whole page and
 * nothing else. Its pixels, as pdfjs decoded them, are then the page, at the
 * scanner's own resolution: no canvas to draw on and copy out of, which for
 * an A4 page at 300 dpi saves two 35 MB buffers and Skia's native memory.
 * Returns null for anything else (text, vector drawing, several images, a
 * skewed or partial placement); the caller renders those.
 */
export async function scanImageOf(pdfjs: PdfJs, page: PdfPage): Promise<GrayImage | null> {
  const { OPS } = pdfjs;
  const list = await page.getOperatorList();
  const allowed = new Set([OPS.save, OPS.restore, OPS.transform, OPS.dependency, OPS.paintImageXObject]);
  if (list.fnArray.some((fn) => !allowed.has(fn))) return null;
  if (list.fnArray.filter((fn) => fn === OPS.paintImageXObject).length !== 1) return null;
  let matrix = [1, 0, 0, 1, 0, 0];
  const saved: number[][] = [];
  let placement: { id: string; matrix: number[] } | null = null;
  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i] as unknown[];
    if (fn === OPS.save) saved.push(matrix);
    else if (fn === OPS.restore) matrix = saved.pop() ?? matrix;
    else if (fn === OPS.transform) matrix = multiply(matrix, args as number[]);
    else if (fn === OPS.paintImageXObject) placement = { id: args[0] as string, matrix };
  });
  if (!placement) return null;
  const { id, matrix: m } = placement as { id: string; matrix: number[] };
  const [a, b, c, d] = m as [number, number, number, number];
  const [x0, y0, x1, y1] = page.view as [number, number, number, number];
  const upright = Math.abs(b) < 1e-6 && Math.abs(c) < 1e-6 && a > 0 && d > 0;
  if (!upright || a * d < MIN_COVERAGE * (x1 - x0) * (y1 - y0)) return null;
  const objects = id.startsWith('g_') ? page.commonObjs : page.objs;
  const image = await new Promise<DecodedImage>((resolve) => objects.get(id, resolve));
  const gray = grayOf(image);
  if (!gray) return null;
  return rotate(gray, page.rotate);
}

function grayOf(image: DecodedImage): GrayImage | null {
  const { width, height, kind, data } = image;
  if (!data || width <= 0 || height <= 0) return null;
  const pixels = new Uint8Array(width * height);
  if (kind === RGB_24BPP || kind === RGBA_32BPP) {
    const step = kind === RGB_24BPP ? 3 : 4;
    for (let p = 0, i = 0; p < pixels.length; p++, i += step) {
      pixels[p] = Math.round(0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!);
    }
  } else if (kind === GRAYSCALE_1BPP) {
    // Rows of packed bits, each row padded to a byte; a set bit is white paper.
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        pixels[y * width + x] = data[y * rowBytes + (x >> 3)]! & (128 >> (x & 7)) ? 255 : 0;
      }
    }
  } else {
    return null;
  }
  return { width, height, pixels };
}

/** The PDF matrix product `m` then `n` (n applied in m's space, as the `cm` operator does). */
function multiply(m: number[], n: number[]): number[] {
  const [a, b, c, d, e, f] = m as [number, number, number, number, number, number];
  const [a2, b2, c2, d2, e2, f2] = n as [number, number, number, number, number, number];
  return [a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d, e2 * a + f2 * c + e, e2 * b + f2 * d + f];
}
