/** An 8-bit greyscale picture, row by row: what every OCR input becomes before Tesseract sees it. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** RGBA (a canvas' pixels) to grey, by the usual luma weights; transparent pixels count as white paper. */
export function grayFromRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GrayImage {
  const pixels = new Uint8Array(width * height);
  for (let i = 0, p = 0; p < pixels.length; i += 4, p++) {
    const alpha = rgba[i + 3]! / 255;
    const luma = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
    pixels[p] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return { width, height, pixels };
}

/**
 * The image as a binary PGM (P5) file. Leptonica, inside Tesseract, reads it
 * without any decoding, so nothing is compressed only to be decompressed.
 */
export function toPgm(image: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.pixels.length);
  out.set(header, 0);
  out.set(image.pixels, header.length);
  return out;
}

/** The image turned clockwise by 90, 180 or 270 degrees (exactly: no resampling). */
export function rotate(image: GrayImage, degrees: number): GrayImage {
  const { width: w, height: h, pixels } = image;
  const turn = ((degrees % 360) + 360) % 360;
  if (turn === 0) return image;
  const out = new Uint8Array(pixels.length);
  if (turn === 180) {
    for (let i = 0; i < pixels.length; i++) out[pixels.length - 1 - i] = pixels[i]!;
    return { width: w, height: h, pixels: out };
  }
  // 90: (x, y) -> (h - 1 - y, x); 270: (x, y) -> (y, w - 1 - x); the result is h wide.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const target = turn === 90 ? x * h + (h - 1 - y) : (w - 1 - x) * h + y;
      out[target] = pixels[y * w + x]!;
    }
  }
  return { width: h, height: w, pixels: out };
}

/** A rectangle of the image (clamped to it). */
export function crop(image: GrayImage, left: number, top: number, width: number, height: number): GrayImage {
  const x0 = Math.max(0, Math.min(image.width - 1, Math.round(left)));
  const y0 = Math.max(0, Math.min(image.height - 1, Math.round(top)));
  const w = Math.max(1, Math.min(image.width - x0, Math.round(width)));
  const h = Math.max(1, Math.min(image.height - y0, Math.round(height)));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    out.set(image.pixels.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x0 + w), y * w);
  return { width: w, height: h, pixels: out };
}

/** Width and height scaled so their product is at most `maxPixels` (never scaled up). */
export function fitPixels(
  width: number,
  height: number,
  maxPixels: number,
): { width: number; height: number; scale: number } {
  const scale = Math.min(1, Math.sqrt(maxPixels / (width * height)));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)), scale };
}

/** The image scaled down to `width` x `height` by averaging the source pixels each target pixel covers. */
export function shrink(image: GrayImage, width: number, height: number): GrayImage {
  if (width >= image.width && height >= image.height) return image;
  const out = new Uint8Array(width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += image.pixels[yy * image.width + xx]!;
      out[y * width + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width, height, pixels: out };
}

/** Dark pixels per row and per column of a sample of the image (every `step`-th pixel each way). */
export interface InkProfiles {
  step: number;
  rows: Uint32Array;
  cols: Uint32Array;
  total: number;
}

/**
 * Counts dark pixels (below mid-grey) on a grid whose longest side has at
 * most `sampleSide` points: enough to see lines and gutters, cheap to scan.
 */
export function inkProfiles(image: GrayImage, sampleSide: number): InkProfiles {
  const step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / sampleSide));
  const rows = new Uint32Array(Math.floor(image.height / step));
  const cols = new Uint32Array(Math.floor(image.width / step));
  let total = 0;
  for (let r = 0; r < rows.length; r++) {
    const offset = r * step * image.width;
    for (let c = 0; c < cols.length; c++) {
      if (image.pixels[offset + c * step]! < 128) {
        rows[r]!++;
        cols[c]!++;
        total++;
      }
    }
  }
  return { step, rows, cols, total };
}
