import { inkProfiles, type GrayImage } from './gray-image';

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
  const { rows, cols, total } = inkProfiles(image, SAMPLE_SIDE);
  if (cols.length < 8 || rows.length < 8) return 'unknown';
  if (total < rows.length * cols.length * MIN_INK_SHARE) return 'unknown';
  const across = roughness(rows);
  const down = roughness(cols);
  if (down > across * DOMINANCE) return 'vertical';
  if (across > down * DOMINANCE) return 'horizontal';
  return 'unknown';
}

/** Mean squared step between neighbours, relative to the mean: high when the profile alternates. */
function roughness(profile: Uint32Array): number {
  let sum = 0;
  let steps = 0;
  for (let i = 1; i < profile.length; i++) steps += (profile[i]! - profile[i - 1]!) ** 2;
  for (const value of profile) sum += value;
  const mean = sum / profile.length;
  return mean === 0 ? 0 : steps / (profile.length - 1) / (mean * mean);
}
