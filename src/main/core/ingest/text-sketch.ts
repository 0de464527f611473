/**
 * A document's text sketch: the 64 smallest hashes of its five-word
 * shingles (bottom-k MinHash, Broder 1997). Two sketches estimate how much
 * of two texts is the same word sequences (Jaccard of their shingle sets)
 * without either text, so search can fold a copy of a document, or a
 * version that differs by a few lines, into one result. 256 bytes per
 * document, one linear pass over its text.
 */

/** Hashes kept per document. 64 estimates a resemblance of 0.9 within about +-0.04. */
export const SKETCH_SIZE = 64;
/** Words per shingle: long enough that common phrases do not make unrelated texts alike. */
const SHINGLE_WORDS = 5;
/** Candidates collected before they are cut back to the smallest SKETCH_SIZE. */
const CUT_EVERY = 4096;

const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a over the word's UTF-16 units: words repeat, so this runs on short strings only. */
function hashWord(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser: spreads the combined word hashes over all 32 bits. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function smallestUnique(values: number[], k: number): number[] {
  values.sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of values) {
    if (out.length === k) break;
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/**
 * The sketch of a text, ascending. Case and punctuation do not count: a
 * copy converted from PDF to text with other line breaks is still a copy.
 * Empty for a text without words.
 */
export function textSketch(text: string): Uint32Array {
  // The last SHINGLE_WORDS word hashes, as a ring: memory stays flat on any text size.
  const recent = new Uint32Array(SHINGLE_WORDS);
  let count = 0;
  let candidates: number[] = [];
  let ceiling = Infinity;
  const offer = (h: number): void => {
    if (h >= ceiling) return;
    candidates.push(h);
    if (candidates.length >= CUT_EVERY) {
      candidates = smallestUnique(candidates, SKETCH_SIZE);
      if (candidates.length === SKETCH_SIZE) ceiling = candidates[SKETCH_SIZE - 1]!;
    }
  };
  /** The shingle of the last `size` words, in reading order. */
  const shingle = (size: number): number => {
    let h = size;
    for (let i = count - size; i < count; i++) h = Math.imul(h, 31) + recent[i % SHINGLE_WORDS]!;
    return mix(h);
  };
  for (const match of text.toLowerCase().matchAll(WORD)) {
    recent[count % SHINGLE_WORDS] = hashWord(match[0]);
    count++;
    if (count >= SHINGLE_WORDS) offer(shingle(SHINGLE_WORDS));
  }
  // A text shorter than a shingle is one shingle of all its words.
  if (count > 0 && count < SHINGLE_WORDS) offer(shingle(count));
  return Uint32Array.from(smallestUnique(candidates, SKETCH_SIZE));
}

/**
 * Estimated share of shingles two texts have in common (0 to 1): of the
 * SKETCH_SIZE smallest hashes of both sketches together, the share found in
 * each. Exact when both texts have fewer shingles than that. With `atLeast`,
 * gives up (returns 0) as soon as the share can no longer reach it: most
 * pairs search compares are unrelated, and a few steps tell.
 */
export function resemblance(a: Uint32Array, b: Uint32Array, atLeast = 0): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Hashes taken that are not in both; past this many the share is below atLeast.
  const allowedMisses = (1 - atLeast) * Math.min(SKETCH_SIZE, a.length + b.length);
  let i = 0;
  let j = 0;
  let taken = 0;
  let shared = 0;
  while (taken < SKETCH_SIZE && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else {
      if (x < y) i++;
      else j++;
      if (taken + 1 - shared > allowedMisses) return 0;
    }
    taken++;
  }
  return shared / taken;
}

/** How a sketch is stored: little-endian uint32s, whatever the machine's byte order. */
export function sketchToBytes(sketch: Uint32Array): Buffer {
  const bytes = Buffer.alloc(sketch.length * 4);
  sketch.forEach((value, i) => bytes.writeUInt32LE(value, i * 4));
  return bytes;
}

/** A stored sketch; empty when the bytes are not one (a length that is not a multiple of 4). */
export function sketchFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.byteLength % 4 !== 0) return new Uint32Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sketch = new Uint32Array(bytes.byteLength / 4);
  for (let i = 0; i < sketch.length; i++) sketch[i] = view.getUint32(i * 4, true);
  return sketch;
}
