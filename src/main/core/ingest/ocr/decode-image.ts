import type { ImageLimits } from '../limits';
import { ParseFailure, shortParserReason } from '../parse-failure';
import { loadSharp } from '../parsers/image';
import { decodeBmp } from './bmp-image';
import { fitPixels, shrink, type GrayImage } from './gray-image';

/**
 * Decodes one frame of an image (PNG, JPEG, TIFF, WebP, GIF) to grey
 * pixels with sharp (libvips), BMP with bmp-js: turned upright by its EXIF orientation,
 * transparency laid on white paper, scaled down to `limits.maxOcrPixels`.
 */
export async function decodeImageFrame(bytes: Uint8Array, frame: number, limits: ImageLimits): Promise<GrayImage> {
  try {
    if (bytes[0] === 0x42 && bytes[1] === 0x4d) {
      const bmp = decodeBmp(bytes);
      const fit = fitPixels(bmp.width, bmp.height, limits.maxOcrPixels);
      return shrink(bmp, fit.width, fit.height);
    }
    const sharp = await loadSharp();
    const input = sharp(bytes, {
      page: frame - 1,
      pages: 1,
      limitInputPixels: limits.maxInputPixels,
      failOn: 'truncated',
    });
    const metadata = await input.metadata();
    const width = metadata.width ?? 0;
    const height = metadata.pageHeight ?? metadata.height ?? 0;
    let pipeline = input.rotate().flatten({ background: '#ffffff' }).grayscale();
    const fit = fitPixels(width, height, limits.maxOcrPixels);
    if (fit.scale < 1) pipeline = pipeline.resize(fit.width, fit.height, { fit: 'inside' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
    return {
      width: info.width,
      height: info.height,
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    throw new ParseFailure('corrupt', `Page ${frame} of the image could not be decoded: ${shortParserReason(error)}.`, {
      cause: error,
    });
  }
}
