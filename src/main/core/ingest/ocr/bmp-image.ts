import { createRequire } from 'node:module';
import type { GrayImage } from './gray-image';

const require = createRequire(import.meta.url);

/** What a BMP header declares, read before anything is decoded. */
export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  /** 0 for uncompressed pixels (BI_RGB). */
  compression: number;
}

/** The BMP header's size fields, or null when the bytes are too short to hold them. */
export function readBmpHeader(bytes: Uint8Array): BmpHeader | null {
  if (bytes.length < 30) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    width: Math.abs(view.getInt32(18, true)),
    // Negative height: rows stored top to bottom.
    height: Math.abs(view.getInt32(22, true)),
    bitsPerPixel: view.getUint16(28, true),
    compression: view.getUint32(30, true),
  };
}

/**
 * Decodes a BMP to grey pixels. libvips (sharp) has no BMP reader, so BMP
 * goes through bmp-js, the decoder tesseract.js itself uses for BMP files.
 * Throws on a file cut short (its reads run past the end).
 */
export function decodeBmp(bytes: Uint8Array): GrayImage {
  const bmp = require('bmp-js') as typeof import('bmp-js');
  const { width, height, data } = bmp.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const pixels = new Uint8Array(width * height);
  for (let i = 0, p = 0; p < pixels.length; i += 4, p++) {
    pixels[p] = Math.round(0.114 * data[i + 1]! + 0.587 * data[i + 2]! + 0.299 * data[i + 3]!);
  }
  return { width, height, pixels };
}
