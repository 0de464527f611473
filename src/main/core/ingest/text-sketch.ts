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

/** A letter or digit in any script: what words are made of, as for the index's tokenizer. */
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** FNV-1a's 32-bit constants: each word is hashed over its lower-case UTF-16 units. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const SEPARATOR = -1;
/** A letter whose lower case is more than one code unit ("İ"), or half of a surrogate pair: decided per code point. */
const SLOW_PATH = -2;
/**
 * Per BMP code unit, learnt on first sight: its lower case (a word
 * character), SEPARATOR or SLOW_PATH, stored plus 3 so that 0 means not
 * seen yet. Every character then costs one lookup instead of a regex test
 * and a string.
 */
const BMP_LOWER = new Int32Array(0x10000);

function bmpLower(unit: number): number {
  const known = BMP_LOWER[unit]!;
  if (known !== 0) return known - 3;
  const char = String.fromCharCode(unit);
  const lower = char.toLowerCase();
  const value = !WORD_CHAR.test(char) ? SEPARATOR : lower.length === 1 ? lower.charCodeAt(0) : SLOW_PATH;
  BMP_LOWER[unit] = value + 3;
  return value;
}

/** murmur3's finaliser: spreads the combined word hashes over all 32 bits. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The SKETCH_SIZE smallest distinct values offered: a max-heap, so a value
 * above the largest kept costs one comparison. Most documents are short, and
 * sorting all their shingles would cost more than reading them.
 */
class SmallestValues {
  private readonly heap = new Uint32Array(SKETCH_SIZE);
  private size = 0;

  offer(value: number): void {
    const heap = this.heap;
    if (this.size === SKETCH_SIZE && value >= heap[0]!) return;
    for (let i = 0; i < this.size; i++) if (heap[i] === value) return;
    if (this.size < SKETCH_SIZE) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heap[parent]! >= value) break;
        heap[i] = heap[parent]!;
        i = parent;
      }
      heap[i] = value;
      return;
    }
    // Replace the largest, then let the new value sink to its place.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= SKETCH_SIZE) break;
      const right = left + 1;
      const child = right < SKETCH_SIZE && heap[right]! > heap[left]! ? right : left;
      if (heap[child]! <= value) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = value;
  }

  /** The values kept, ascending. */
  sorted(): Uint32Array {
    return this.heap.slice(0, this.size).sort();
  }
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
  const smallest = new SmallestValues();
  /** The shingle of the last `size` words, in reading order. */
  const shingle = (size: number): number => {
    let h = size;
    for (let i = count - size; i < count; i++) h = Math.imul(h, 31) + recent[i % SHINGLE_WORDS]!;
    return mix(h);
  };
  // Words are hashed (FNV-1a over their lower-case UTF-16 units) as they are
  // read, one character at a time and each looked up in BMP_LOWER: no
  // lower-cased copy of the text and no string per word.
  let word = FNV_OFFSET;
  let inWord = false;
  const endWord = (): void => {
    if (!inWord) return;
    recent[count % SHINGLE_WORDS] = word >>> 0;
    count++;
    if (count >= SHINGLE_WORDS) smallest.offer(shingle(SHINGLE_WORDS));
    word = FNV_OFFSET;
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const lower = unit < 0xd800 || unit > 0xdfff ? bmpLower(unit) : SLOW_PATH;
    if (lower >= 0) {
      word = Math.imul(word ^ lower, FNV_PRIME);
      inWord = true;
    } else if (lower === SEPARATOR) {
      endWord();
    } else {
      const char = String.fromCodePoint(text.codePointAt(i)!);
      i += char.length - 1;
      if (!WORD_CHAR.test(char)) {
        endWord();
        continue;
      }
      const units = char.toLowerCase();
      for (let k = 0; k < units.length; k++) word = Math.imul(word ^ units.charCodeAt(k), FNV_PRIME);
      inWord = true;
    }
  }
  endWord();
  // A text shorter than a shingle is one shingle of all its words.
  if (count > 0 && count < SHINGLE_WORDS) smallest.offer(shingle(count));
  return smallest.sorted();
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

/**
 * How much of the smaller text's shingles the larger text holds, estimated
 * from two sketches: every hash of the larger text up to its largest kept
 * one is in its sketch, so the smaller text's hashes in that range are a
 * fair sample of it that can be checked exactly. `samples` is that sample's
 * size (about 64 x the smaller text's size over the larger's): the fewer,
 * the rougher the share.
 * A page and its source with most of the page brought in by includes have
 * a low resemblance (the union is mostly the page) but the source is nearly
 * all contained.
 */
export function containment(a: Uint32Array, b: Uint32Array): { share: number; samples: number } {
  if (a.length === 0 || b.length === 0) return { share: 0, samples: 0 };
  // The larger text's kept hashes reach less far (a full sketch of more shingles has a lower maximum).
  const aFirst = reach(a) === reach(b) ? a.length <= b.length : reach(a) > reach(b);
  const [small, large] = aFirst ? [a, b] : [b, a];
  const limit = reach(large);
  let samples = 0;
  let shared = 0;
  let j = 0;
  for (let i = 0; i < small.length && small[i]! <= limit; i++) {
    samples++;
    while (j < large.length && large[j]! < small[i]!) j++;
    if (large[j] === small[i]) shared++;
  }
  return { share: samples === 0 ? 0 : shared / samples, samples };
}

/** The largest hash a sketch vouches for: its last when full, else every hash (the text had fewer shingles). */
function reach(sketch: Uint32Array): number {
  return sketch.length < SKETCH_SIZE ? Infinity : sketch[sketch.length - 1]!;
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
