/**
 * A faster, exact way to run a BERT-family tokenizer over large amounts of
 * text: cut the text at ASCII whitespace, tokenise each distinct piece once
 * with the real tokenizer (cached), and join the ids between the special
 * tokens. For these tokenizers a space, tab or newline is always a hard
 * word boundary (their normalisers work per character or per word and their
 * pre-tokenisers split on whitespace first), so the result is the same ids;
 * the full pipeline (added-token split, normaliser regexes, pre-tokeniser,
 * model, post-processor) costs ~60 µs per 650-character chunk, the lookups
 * a few.
 *
 * Used only when every step of the tokenizer is of a kind known to respect
 * whitespace, and only after it has produced the same ids as the full
 * tokenizer on a sample (see `verify`); otherwise the caller keeps the
 * full tokenizer.
 */

/** The slice of a transformers.js tokenizer this needs. */
export interface EncodingTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
}

interface StepConfig {
  type?: string;
  normalizers?: StepConfig[];
  pretokenizers?: StepConfig[];
  pattern?: { Regex?: string; String?: string };
}

/** The tokenizer.json parts that decide whether whitespace is a hard boundary. */
export interface TokenizerConfig {
  normalizer?: StepConfig | null;
  pre_tokenizer?: StepConfig | null;
  model?: { type?: string };
}

const WORD_LOCAL_NORMALIZERS = new Set(['BertNormalizer', 'Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents']);
const WHITESPACE_SPLITTING_PRE_TOKENIZERS = new Set(['BertPreTokenizer', 'Whitespace', 'WhitespaceSplit']);

/**
 * A Replace normaliser is word-local when no match can contain whitespace:
 * a plain string without whitespace, or a regex that cannot match a space
 * and whose only `\s` is inside a negated class (the tiny test model's
 * stopword pattern). Anything else is treated as unsafe.
 */
function isWordLocalReplace(step: StepConfig): boolean {
  const { String: literal, Regex: regex } = step.pattern ?? {};
  if (literal !== undefined) return !/\s/.test(literal);
  if (regex === undefined) return false;
  const withoutNegatedClasses = regex.replace(/\[\^(?:\\.|[^\]\\])*\]/g, '');
  if (/\\s|\\n|\\t|\\r|\.| /.test(withoutNegatedClasses)) return false;
  try {
    return !new RegExp(regex, 'u').test(' ') && !new RegExp(regex, 'u').test('\n');
  } catch {
    return false;
  }
}

function isWordLocalNormalizer(step: StepConfig | null | undefined): boolean {
  if (!step) return true;
  if (step.type === 'Sequence') return (step.normalizers ?? []).every(isWordLocalNormalizer);
  if (step.type === 'Replace') return isWordLocalReplace(step);
  return WORD_LOCAL_NORMALIZERS.has(step.type ?? '');
}

function isWhitespaceSplitter(step: StepConfig | null | undefined): boolean {
  if (!step) return false;
  if (step.type === 'Sequence') {
    const steps = step.pretokenizers ?? [];
    return steps.length > 0 && steps.every(isWhitespaceSplitter);
  }
  return WHITESPACE_SPLITTING_PRE_TOKENIZERS.has(step.type ?? '');
}

/** Whether this tokenizer's steps are all of kinds for which whitespace is a hard word boundary. */
export function isWhitespaceLocal(config: TokenizerConfig): boolean {
  return (
    config.model?.type === 'WordPiece' &&
    isWordLocalNormalizer(config.normalizer) &&
    isWhitespaceSplitter(config.pre_tokenizer)
  );
}

/** Bounded, so a corpus of random identifiers cannot grow it forever. */
const MAX_CACHED_PIECES = 200_000;

export class PieceEncoder {
  private cache = new Map<string, number[]>();
  private previous = new Map<string, number[]>();
  private readonly prefix: number[] = [];
  private readonly suffix: number[] = [];

  constructor(private readonly tokenizer: EncodingTokenizer) {
    // The special tokens around a single text, read off a one-word encoding
    // (of a word no normaliser drops: some remove stopwords).
    for (const word of ['zebra', 'x', '7', 'hello']) {
      const inner = tokenizer.encode(word, { add_special_tokens: false });
      const full = tokenizer.encode(word);
      const at = full.findIndex((_, i) => inner.every((id, j) => full[i + j] === id));
      if (inner.length === 0 || at < 0) continue;
      this.prefix = full.slice(0, at);
      this.suffix = full.slice(at + inner.length);
      return;
    }
    throw new Error('cannot locate the text between the special tokens');
  }

  /** Token ids of `text`, special tokens included, as `tokenizer.encode(text)` would give. */
  encode(text: string): number[] {
    const ids = this.prefix.slice();
    // A hand-rolled scan: matchAll allocated a match object per piece, and
    // this runs over every word of every chunk of a large ingest.
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? text.charCodeAt(i) : 32;
      if (code !== 32 && code !== 10 && code !== 9 && code !== 13) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        for (const id of this.piece(text.slice(start, i))) ids.push(id);
        start = -1;
      }
    }
    for (const id of this.suffix) ids.push(id);
    return ids;
  }

  private piece(piece: string): number[] {
    let ids = this.cache.get(piece);
    if (ids) return ids;
    ids = this.previous.get(piece) ?? this.tokenizer.encode(piece, { add_special_tokens: false });
    // Two generations: when the current one is full it becomes the previous
    // one, so frequent pieces survive (promoted on use) while one-off numbers
    // and identifiers age out, and memory stays bounded.
    if (this.cache.size >= MAX_CACHED_PIECES / 2) {
      this.previous = this.cache;
      this.cache = new Map();
    }
    this.cache.set(piece, ids);
    return ids;
  }

  /** True if this encoder gives exactly the full tokenizer's ids for every text. */
  verify(texts: readonly string[]): boolean {
    return texts.every((text) => {
      return sameIds(this.tokenizer.encode(text), this.encode(text));
    });
  }
}

/** Whether two encodings are the same ids in the same order. */
function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Texts that probe the edges: punctuation, accents, CJK, emoji, control characters, special-token look-alikes. */
const PROBES = [
  "Hello, World! It's a test-case: e-mail me@example.com at 10:30am.",
  'Caf\u00e9 na\u00efve \u00c5ngstr\u00f6m \u00dcber stra\u00dfe',
  '\u4e2d\u6587\u5b57 and \u65e5\u672c\u8a9e mixed with words',
  'emoji \u{1F600} and symbols \u00a9 \u2122 \u2192 \u00bd',
  'tabs\tand\nnewlines\r\nand   many spaces\u00a0nbsp\u2009thin',
  '[CLS] [SEP] [PAD] [UNK] [MASK] literal special tokens',
  'code: fn(x) => x ** 2; if (a && b) { return [1, 2]; } // done',
  'URL https://example.org/path?q=1&r=two#frag and C:\\path\\file.txt',
  '  leading and trailing spaces  ',
  '',
  'zero\u200bwidth\ufeffbom\u0000nul control\u0007bell',
];

/**
 * The encoder to use for `tokenizer`: the piece encoder if its steps qualify
 * and it agrees with the full tokenizer on the probes, else the full
 * tokenizer. The first `checkFirst` real texts, and one in `checkEvery` after
 * that, are also run through the full tokenizer (whose ids are then used);
 * one disagreement switches back to the full tokenizer for good.
 */
export function createTextEncoder(
  tokenizer: EncodingTokenizer,
  config: TokenizerConfig,
  options: { checkFirst?: number; checkEvery?: number } = {},
): { encode: (text: string) => number[]; fast: () => boolean } {
  const full = (text: string): number[] => tokenizer.encode(text);
  if (!isWhitespaceLocal(config)) return { encode: full, fast: () => false };
  let pieces: PieceEncoder | null;
  try {
    pieces = new PieceEncoder(tokenizer);
    if (!pieces.verify(PROBES)) pieces = null;
  } catch {
    pieces = null;
  }
  const checkFirst = options.checkFirst ?? 64;
  const checkEvery = options.checkEvery ?? 500;
  let seen = 0;
  return {
    fast: () => pieces !== null,
    encode: (text) => {
      if (!pieces) return full(text);
      seen++;
      if (seen > checkFirst && seen % checkEvery !== 0) return pieces.encode(text);
      const expected = full(text);
      if (!sameIds(expected, pieces.encode(text))) pieces = null;
      return expected;
    },
  };
}
