import { crop, inkProfiles, type GrayImage } from './gray-image';

/** Longest side of the sample the columns are measured on. */
const SAMPLE_SIDE = 1000;
/** A gutter must be at least this share of the text's width (a gap between words never lines up that wide on every row). */
const MIN_GUTTER_SHARE = 0.02;
/** Each side of a gutter must hold at least this share of the ink: a margin note is not a column. */
const MIN_SIDE_INK_SHARE = 0.15;
/** Columns are looked for this many levels deep (two splits make three or four columns). */
const MAX_DEPTH = 2;

/**
 * Splits a page into its columns of text, left to right, when a vertical
 * band of white paper runs the whole height of the text between them (a
 * gutter). Tesseract finds columns by itself when they are justified, but
 * reads ragged-right columns with aligned lines straight across, mixing
 * their sentences; cut apart, each column is read on its own, in order.
 * A page without a gutter comes back whole.
 */
export function splitColumns(image: GrayImage, depth = 0): GrayImage[] {
  if (depth >= MAX_DEPTH) return [image];
  const gutter = findGutter(image);
  if (gutter === null) return [image];
  const left = crop(image, 0, 0, gutter, image.height);
  const right = crop(image, gutter, 0, image.width - gutter, image.height);
  return [...splitColumns(left, depth + 1), ...splitColumns(right, depth + 1)];
}

/** The x of the middle of the widest gutter, in the image's pixels, or null. */
export function findGutter(image: GrayImage): number | null {
  const { step, cols: ink, rows, total } = inkProfiles(image, SAMPLE_SIDE);
  const cols = ink.length;
  if (cols < 16 || rows.length < 16 || total === 0) return null;
  let first = 0;
  while (ink[first] === 0) first++;
  let last = cols - 1;
  while (ink[last] === 0) last--;
  const span = last - first + 1;
  // Only the middle of the text: white at its edges is margin, not gutter.
  const from = first + Math.floor(span * 0.2);
  const to = last - Math.floor(span * 0.2);
  let best: { start: number; width: number } | null = null;
  for (let c = from; c <= to; c++) {
    if (ink[c] !== 0) continue;
    let end = c;
    while (end + 1 <= to && ink[end + 1] === 0) end++;
    if (!best || end - c + 1 > best.width) best = { start: c, width: end - c + 1 };
    c = end;
  }
  if (!best || best.width < span * MIN_GUTTER_SHARE) return null;
  let leftInk = 0;
  for (let c = first; c < best.start; c++) leftInk += ink[c]!;
  const rightInk = total - leftInk;
  if (leftInk < total * MIN_SIDE_INK_SHARE || rightInk < total * MIN_SIDE_INK_SHARE) return null;
  return Math.round((best.start + best.width / 2) * step);
}
