/**
 * Cheap lexical cohesion, used in two places:
 * - to choose where to cut: among the block boundaries where a chunk could
 *   end, the chunker cuts where the text on either side shares the fewest
 *   words (the likeliest change of topic);
 * - as `semanticScore`: how much adjacent sentences inside a chunk share
 *   vocabulary.
 *
 * Honest scope: this is word overlap, not meaning. Two sentences about the
 * same thing in different words score 0; the score is comparable between
 * chunks of one document but is not calibrated across documents.
 */

const STOPWORD_LIST =
  'the and for are but not you all any can had her was one our out has him his how man new now old see ' +
  'two way who did its let put say she too use that with have this will your from they been more when ' +
  'were what some them than then into only also just over such very which their there these those would ' +
  'could should about after other where while being each does here must most because';

/**
 * Words are compared by a 32-bit FNV-1a hash of their lower-cased letters
 * instead of as strings: this runs over every chunk of every document, and
 * allocating a string per word was the chunker's largest cost. A collision
 * only nudges a heuristic score.
 */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const STOPWORDS = new Set(STOPWORD_LIST.split(' ').map(hashWord));

function hashWord(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Content words (3+ letters, lower-cased, no common function words) of `text[from, to)`, as hashes. */
export function contentWords(text: string, from = 0, to = text.length): Set<number> {
  const words = new Set<number>();
  let hash = FNV_OFFSET;
  let length = 0;
  for (let i = from; i <= to; i++) {
    let code = i < to ? text.charCodeAt(i) : 32;
    if (code >= 65 && code <= 90) code += 32;
    else if (code > 0x7f) code = String.fromCharCode(code).toLowerCase().charCodeAt(0);
    if (isWordChar(code)) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      length++;
      continue;
    }
    if (length >= 3 && !STOPWORDS.has(hash)) words.add(hash);
    hash = FNV_OFFSET;
    length = 0;
  }
  return words;
}

/** ASCII letters and digits, and non-ASCII characters other than spaces and punctuation blocks. */
function isWordChar(code: number): boolean {
  if (code < 0x80) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
  if (code <= 0xbf) return false; // Latin-1 punctuation and symbols, NBSP
  if (code >= 0x2000 && code <= 0x2bff) return false; // general punctuation, arrows, symbols
  if (code >= 0x3000 && code <= 0x303f) return false; // CJK punctuation
  return code !== 0xd7 && code !== 0xf7 && code !== 0xfeff;
}

/** Overlap coefficient |A∩B| / min(|A|,|B|) in [0, 1]; 0 when either side has no content words. */
export function overlap(a: Set<number>, b: Set<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return shared / small.size;
}

/** Characters either side of a boundary that are compared; enough for a sentence or two. */
const BOUNDARY_WINDOW = 300;

/** How strongly the text before `at` continues into the text after it (higher = same topic). */
export function boundaryCohesion(
  text: string,
  before: { start: number; end: number },
  after: { start: number; end: number },
): number {
  const left = contentWords(text, Math.max(before.start, before.end - BOUNDARY_WINDOW), before.end);
  const right = contentWords(text, after.start, Math.min(after.end, after.start + BOUNDARY_WINDOW));
  return overlap(left, right);
}

const MAX_SENTENCE_PAIRS = 4;
const MAX_SENTENCE_CHARS = 240;

/**
 * Mean word overlap between adjacent sentences of `text`, sampled at up to
 * four sentence boundaries spread evenly through it (the first boundary
 * after each of four anchor points), comparing at most 240 characters either
 * side. Constant cost per chunk, whatever its length. Null when no sentence
 * boundary with text on both sides is found (a single sentence).
 */
export function sentenceCohesion(text: string): number | null {
  let total = 0;
  let counted = 0;
  let lastBoundary = -1;
  for (let k = 0; k < MAX_SENTENCE_PAIRS; k++) {
    const anchor = k === 0 ? 0 : Math.floor((text.length * k) / MAX_SENTENCE_PAIRS);
    const boundary = nextBoundary(text, Math.max(anchor, lastBoundary + 1));
    if (boundary < 0 || boundary === lastBoundary) continue;
    lastBoundary = boundary;
    const beforeStart = previousBoundary(text, boundary);
    let afterStart = boundary;
    while (afterStart < text.length && text.charCodeAt(afterStart) <= 32) afterStart++;
    const nextEnd = nextBoundary(text, afterStart + 1);
    const afterEnd = nextEnd < 0 ? Math.min(text.length, afterStart + MAX_SENTENCE_CHARS) : nextEnd;
    const before = contentWords(text, beforeStart, boundary);
    const after = contentWords(text, afterStart, afterEnd);
    if (afterStart >= afterEnd || before.size + after.size === 0) continue;
    total += overlap(before, after);
    counted++;
  }
  return counted === 0 ? null : Math.round((total / counted) * 1000) / 1000;
}

/** True at the last character of a sentence: `.`, `!` or `?` before whitespace, or a blank line. */
function endsSentence(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if (code === 10) return next === 10;
  return (code === 46 || code === 33 || code === 63) && (next === 32 || next === 10 || next === 9);
}

/** Offset just after the first sentence end at or after `from` (within 240 characters), or -1. */
function nextBoundary(text: string, from: number): number {
  const limit = Math.min(text.length - 1, from + MAX_SENTENCE_CHARS);
  for (let i = from; i < limit; i++) if (endsSentence(text, i)) return i + 1;
  return -1;
}

/** Start of the sentence that ends at `boundary` (at most 240 characters back). */
function previousBoundary(text: string, boundary: number): number {
  const limit = Math.max(0, boundary - MAX_SENTENCE_CHARS);
  for (let i = boundary - 2; i >= limit; i--) if (endsSentence(text, i)) return i + 1;
  return limit;
}
