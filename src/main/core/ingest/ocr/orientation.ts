import type { GrayImage } from './gray-image';

/** Longest side of the sample the line direction is measured on: enough to see lines, cheap to scan. */
const SAMPLE_SIDE = 600;
/** How much more line-like one direction must be before the page counts as turned. */
const DOMINANCE = 1.6;
/** Below this share of dark pixels the page is (nearly) blank: no direction to speak of. */
const MIN_INK_SHARE = 0.002;

/**
 * Whether the page's lines of print run across (`horizontal`) or up and
 * down (`vertical`: the page is turned by 90 or 270 degrees), from
 * projection profiles: summed across each row, lines of print and the gaps
 * between them alternate sharply; summed down each column they blur into
 * one another. Tesseract reads horizontal lines only, and reading a turned
 * page costs a full pass for nothing, so this cheap check comes first.
 */
export function lineDirection(image: GrayImage): 'horizontal' | 'vertical' | 'unknown' {
  const step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / SAMPLE_SIDE));
  const cols = Math.floor(image.width / step);
  const rows = Math.floor(image.height / step);
  if (cols < 8 || rows < 8) return 'unknown';
  const rowInk = new Float64Array(rows);
  const colInk = new Float64Array(cols);
  let ink = 0;
  for (let r = 0; r < rows; r++) {
    const offset = r * step * image.width;
    for (let c = 0; c < cols; c++) {
      if (image.pixels[offset + c * step]! < 128) {
        rowInk[r]!++;
        colInk[c]!++;
        ink++;
      }
    }
  }
  if (ink < rows * cols * MIN_INK_SHARE) return 'unknown';
  const across = roughness(rowInk);
  const down = roughness(colInk);
  if (down > across * DOMINANCE) return 'vertical';
  if (across > down * DOMINANCE) return 'horizontal';
  return 'unknown';
}

/** Mean squared step between neighbours, relative to the mean: high when the profile alternates. */
function roughness(profile: Float64Array): number {
  let sum = 0;
  let steps = 0;
  for (let i = 1; i < profile.length; i++) steps += (profile[i]! - profile[i - 1]!) ** 2;
  for (const value of profile) sum += value;
  const mean = sum / profile.length;
  return mean === 0 ? 0 : steps / (profile.length - 1) / (mean * mean);
}
