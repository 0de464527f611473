/**
 * How long a span of text is for chunk sizes (sizes.ts), which are set in
 * characters of alphabetic text: about 4.3 to a WordPiece token in English
 * prose and 2.5-3.2 in code. A Chinese or Japanese character is a token of
 * its own (BERT tokenizers split ideographs one by one, and kana fare no
 * better), so it counts as WIDE_WEIGHT characters, and a Hangul syllable as
 * HANGUL_WEIGHT. Measured as characters, a chunk of Chinese notes was ~930
 * tokens, and the model never saw the part past its 512-token window.
 *
 * Code is weighed by its characters' kinds (CODE_WEIGHTS). Prose without
 * wide characters is measured as characters, at no cost; other text gets one
 * array of running counts (4 bytes a character).
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

export interface MeasureOptions {
  /** Code (and structured data written as code): symbols weigh by CODE_WEIGHTS. */
  code?: boolean;
}

/**
 * Code is measured by what WordPiece makes of it. Fitted over 11,561 code
 * chunks (this repository's TypeScript, 150 modules of Python's standard
 * library, 150 C headers; BERT uncased), a chunk's tokens are ~0.23 a
 * letter, 0.86 a digit, 1.18 a symbol (punctuation, operators, brackets and
 * `_`: BERT splits words at each) and next to nothing a space. Weighed so,
 * and scaled so that code of the usual mix (61% letters, 24% spaces, 13%
 * symbols) still measures about its length in characters, a chunk's tokens
 * follow its measured length whatever its mix. Measured as characters, a
 * block of regular expressions (half symbols) ran to 625 tokens in 1,200
 * characters, and 1.8% of Python's chunks and 3.0% of the C headers' (their
 * tables of CONSTANT_NAMES and hex numbers) ran past the 512-token window;
 * now 0, 0.02% and 0.03%, for about as many chunks (+7%, -9%, +5%).
 */
export const CODE_WEIGHTS = { letter: 0.7, digit: 2.8, space: 0.1, symbol: 3.8 } as const;

/** Weights in tenths of a character, so the running counts stay integers. */
const TENTHS = 10;

export function measureText(text: string, options: MeasureOptions = {}): TextMeasure {
  const code = options.code === true;
  if (!code && !WIDE.test(text)) {
    return {
      length: (start, end) => end - start,
      reach: (start, budget) => Math.min(text.length, start + Math.max(0, Math.floor(budget))),
      reachBack: (end, budget) => Math.max(0, end - Math.max(0, Math.floor(budget))),
    };
  }
  const weigh = code ? codeTenths : proseTenths;
  // counts[i]: what text[0, i) measures, in tenths.
  const counts = new Uint32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) counts[i + 1] = (counts[i] as number) + weigh(text.charCodeAt(i));
  const length = (start: number, end: number): number => ((counts[end] as number) - (counts[start] as number)) / TENTHS;
  // The most characters a budget can span: every character weighs at least the lightest weight.
  const span = (budget: number): number => Math.max(0, Math.floor(budget / (code ? CODE_WEIGHTS.space : 1)));
  return {
    length,
    reach(start, budget) {
      // length(start, end) grows with end: the last end within budget, by bisection.
      let low = start;
      let high = Math.min(text.length, start + span(budget));
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (length(start, mid) <= budget) low = mid;
        else high = mid - 1;
      }
      return low;
    },
    reachBack(end, budget) {
      let low = Math.max(0, end - span(budget));
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

/** The length of a whole string as `measureText` counts prose (a table row, before the table is written). */
export function measuredLength(text: string): number {
  if (!WIDE.test(text)) return text.length;
  let tenths = 0;
  for (let i = 0; i < text.length; i++) tenths += proseTenths(text.charCodeAt(i));
  return tenths / TENTHS;
}

const WIDE_TENTHS = WIDE_WEIGHT * TENTHS;
const HANGUL_TENTHS = HANGUL_WEIGHT * TENTHS;
const CODE_TENTHS = {
  letter: Math.round(CODE_WEIGHTS.letter * TENTHS),
  digit: Math.round(CODE_WEIGHTS.digit * TENTHS),
  space: Math.round(CODE_WEIGHTS.space * TENTHS),
  symbol: Math.round(CODE_WEIGHTS.symbol * TENTHS),
};

function proseTenths(code: number): number {
  if (code < 128) return TENTHS;
  if (code >= HANGUL_SYLLABLES[0] && code <= HANGUL_SYLLABLES[1]) return HANGUL_TENTHS;
  return WIDE_RANGES.some(([from, to]) => code >= from && code <= to) ? WIDE_TENTHS : TENTHS;
}

function codeTenths(code: number): number {
  if (code >= 128) {
    const prose = proseTenths(code);
    return prose === TENTHS ? CODE_TENTHS.letter : prose;
  }
  if (code <= 32) return CODE_TENTHS.space;
  if (code >= 48 && code <= 57) return CODE_TENTHS.digit;
  return isSymbol(code) ? CODE_TENTHS.symbol : CODE_TENTHS.letter;
}

/** ASCII punctuation and symbols (`!"#$%&'()*+,-./:;<=>?@[\]^_{|}~` and the backtick): BERT splits words at each. */
function isSymbol(code: number): boolean {
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  );
}
