/**
 * How long a span of text is for chunk sizes (sizes.ts), which are set in
 * characters of alphabetic text: about 4.3 to a WordPiece token in English
 * prose and 2.5-3.2 in code. A Chinese or Japanese character is a token of
 * its own (BERT tokenizers split ideographs one by one, and kana fare no
 * better), so it counts as WIDE_WEIGHT characters, and a Hangul syllable as
 * HANGUL_WEIGHT. Measured as characters, a chunk of Chinese notes was ~930
 * tokens, and the model never saw the part past its 512-token window.
 *
 * Text without such characters is measured as characters, at no cost; text
 * with them gets one array of running counts (4 bytes a character).
 */
export interface TextMeasure {
  /** Length of text[start, end) in chunk-size characters. */
  length(start: number, end: number): number;
  /** The furthest offset at or after `start` whose span from `start` is at most `budget` long. */
  reach(start: number, budget: number): number;
  /** The earliest offset at or before `end` whose span to `end` is at most `budget` long. */
  reachBack(end: number, budget: number): number;
}

/** Characters a wide character counts as: a token of prose is ~4.3; a little more keeps a margin. */
export const WIDE_WEIGHT = 4.5;
/**
 * Characters a Hangul syllable counts as: the default model's uncased
 * tokenizer takes syllables apart into their letters (Unicode NFD) before
 * matching pieces, so Korean runs at ~1.7 tokens a character.
 */
export const HANGUL_WEIGHT = 7.5;

/**
 * Hangul Jamo, CJK radicals to Unified Ideographs (kana, CJK punctuation
 * and symbols included), Yi, compatibility ideographs, full-width forms, and
 * the high surrogates of the supplementary ideographs; and Hangul syllables,
 * weighed apart. One table serves the quick test and the per-character count.
 */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x11ff],
  [0x2e80, 0xa4cf],
  [0xf900, 0xfaff],
  [0xff00, 0xffef],
  [0xd840, 0xd87f],
];
const HANGUL_SYLLABLES = [0xac00, 0xd7af] as const;
const hex = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;
/** Any character the table counts as more than one. */
const WIDE = new RegExp(
  `[${[...WIDE_RANGES, HANGUL_SYLLABLES].map(([from, to]) => `${hex(from)}-${hex(to)}`).join('')}]`,
);

export function measureText(text: string): TextMeasure {
  if (!WIDE.test(text)) {
    return {
      length: (start, end) => end - start,
      reach: (start, budget) => Math.min(text.length, start + Math.max(0, Math.floor(budget))),
      reachBack: (end, budget) => Math.max(0, end - Math.max(0, Math.floor(budget))),
    };
  }
  // extra[i]: what text[0, i) counts beyond one a character, in halves (weights are whole or half).
  const extra = new Uint32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) extra[i + 1] = (extra[i] as number) + extraHalves(text.charCodeAt(i));
  const length = (start: number, end: number): number =>
    end - start + ((extra[end] as number) - (extra[start] as number)) / 2;
  return {
    length,
    reach(start, budget) {
      // length(start, end) grows with end: the last end within budget, by bisection.
      let low = start;
      let high = Math.min(text.length, start + Math.max(0, Math.floor(budget)));
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (length(start, mid) <= budget) low = mid;
        else high = mid - 1;
      }
      return low;
    },
    reachBack(end, budget) {
      let low = Math.max(0, end - Math.max(0, Math.floor(budget)));
      let high = end;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (length(mid, end) <= budget) high = mid;
        else low = mid + 1;
      }
      return low;
    },
  };
}

/** The length of a whole string as `measureText` counts it (a table row, before the table is written). */
export function measuredLength(text: string): number {
  if (!WIDE.test(text)) return text.length;
  let halves = 0;
  for (let i = 0; i < text.length; i++) halves += extraHalves(text.charCodeAt(i));
  return text.length + halves / 2;
}

const WIDE_EXTRA_HALVES = (WIDE_WEIGHT - 1) * 2;
const HANGUL_EXTRA_HALVES = (HANGUL_WEIGHT - 1) * 2;

function extraHalves(code: number): number {
  if (code >= HANGUL_SYLLABLES[0] && code <= HANGUL_SYLLABLES[1]) return HANGUL_EXTRA_HALVES;
  return WIDE_RANGES.some(([from, to]) => code >= from && code <= to) ? WIDE_EXTRA_HALVES : 0;
}
