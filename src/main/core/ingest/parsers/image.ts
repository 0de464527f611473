import { createHash } from 'node:crypto';
import type { ImageFormat } from '../image-formats';
import { decodeBmp, readBmpHeader } from '../ocr/bmp-image';
import type { ImageLimits } from '../limits';
import { ParseFailure, shortParserReason } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { pendingOcrText } from '../ocr/pending-text';

type Sharp = typeof import('sharp');
/** Frames past the first are ignored for these: an animation's later frames repeat or move the first. */
const FIRST_FRAME_ONLY: ReadonlySet<string> = new Set(['gif', 'webp']);
/** What sharp may call a format we read (its names, not ours). */
const SHARP_FORMATS: ReadonlySet<string> = new Set(['png', 'jpeg', 'tiff', 'webp', 'gif', 'bmp']);

/**
 * An image at sync time: checked, not read. Its header says how many frames
 * (pages) it has and how large they are; the first frame is decoded at a
 * small size, so a damaged file fails now with a clear reason rather than
 * in the OCR job. The text comes later, from OCR (`ocr` lists every frame);
 * until then the document has empty pages.
 */
export async function parseImage(
  bytes: Uint8Array,
  declared: ImageFormat,
  limits: ImageLimits,
): Promise<ParsedDocument> {
  if (declared === 'bmp') return parseBmp(bytes, limits);
  const sharp = await loadSharp();
  let metadata: Awaited<ReturnType<ReturnType<Sharp>['metadata']>>;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(declared, error);
  }
  const format = metadata.format as string | undefined;
  if (!format || !SHARP_FORMATS.has(format)) {
    throw new ParseFailure('unsupported_type', `Trove cannot read ${format ?? 'this kind of'} images yet.`);
  }
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw unreadable(declared, new Error('the image has no size'));
  checkPixels(width, height, limits);
  const frames = FIRST_FRAME_ONLY.has(format) ? 1 : Math.max(1, metadata.pages ?? 1);
  if (frames > limits.maxFrames) {
    throw new ParseFailure(
      'exceeds_limits',
      `This image has ${frames.toLocaleString('en')} pages; Trove reads up to ${limits.maxFrames.toLocaleString('en')}, so it was not indexed.`,
    );
  }
  try {
    // A thumbnail still decodes every row of the first frame: truncated or damaged data fails here.
    await sharp(bytes, { limitInputPixels: limits.maxInputPixels, failOn: 'truncated' })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw unreadable(declared, error);
  }
  return pendingImage(bytes, frames);
}

/** libvips has no BMP reader: the header is checked, then the file decoded in full (BMP is uncompressed, bounded by its size). */
function parseBmp(bytes: Uint8Array, limits: ImageLimits): ParsedDocument {
  const header = readBmpHeader(bytes);
  if (!header || header.width === 0 || header.height === 0) throw unreadable('bmp', new Error('no valid BMP header'));
  checkPixels(header.width, header.height, limits);
  // Uncompressed pixels must be in the file: a header claiming more would make the decoder allocate for nothing.
  if (header.compression === 0 && (header.width * header.height * header.bitsPerPixel) / 8 > bytes.length) {
    throw unreadable('bmp', new Error('the file is shorter than the pixels its header declares'));
  }
  try {
    decodeBmp(bytes);
  } catch (error) {
    throw unreadable('bmp', error);
  }
  return pendingImage(bytes, 1);
}

function checkPixels(width: number, height: number, limits: ImageLimits): void {
  if (width * height <= limits.maxInputPixels) return;
  throw new ParseFailure(
    'exceeds_limits',
    `This image is ${width.toLocaleString('en')} x ${height.toLocaleString('en')} pixels; Trove reads images of up to ${(limits.maxInputPixels / 1e6).toLocaleString('en')} million pixels, so it was not indexed.`,
  );
}

/** An image whose `frames` pages wait for OCR, with empty text until then. */
function pendingImage(bytes: Uint8Array, frames: number): ParsedDocument {
  const sourceKey = createHash('sha256').update(bytes).digest('hex');
  return { ...pendingOcrText(frames), format: 'plain', ocr: { source: 'image', pages: range(frames), sourceKey } };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

function unreadable(format: ImageFormat, error: unknown): ParseFailure {
  return new ParseFailure(
    'corrupt',
    `The image could not be read (${format.toUpperCase()}): ${shortParserReason(error)}. The file may be damaged or not an image.`,
    { cause: error },
  );
}

let sharpPromise: Promise<Sharp> | undefined;
/** sharp (libvips) is loaded on the first image only: a parser thread that never sees one never pays for it. */
export function loadSharp(): Promise<Sharp> {
  sharpPromise ??= import('sharp').then(
    (module) => (module as { default?: Sharp }).default ?? (module as unknown as Sharp),
  );
  return sharpPromise;
}
