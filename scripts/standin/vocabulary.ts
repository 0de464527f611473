/**
 * The stand-in model's tokenizer: a real-size (30,522-piece) lower-cased
 * WordPiece vocabulary, so texts become as many tokens as with the shipped
 * models and the model's cost per text is real.
 *
 * Where it comes from, in order:
 * 1. `TROVE_STANDIN_VOCAB=<dir>`: a folder with a tokenizers-library
 *    `tokenizer.json` (and optionally `tokenizer_config.json`);
 * 2. the evaluation data's `wordpiece-uncased/` (scripts/lib/evaluation-data.ts),
 *    when present: the BERT uncased vocabulary the default models use;
 * 3. otherwise a generated vocabulary with the same layout and a similar
 *    token-length profile on English text (see generatedPieces).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluationDataDir } from '../lib/evaluation-data';
import { SPECIAL_TOKENS as SPECIALS, truncation, wordPieceTokenizer, type TokenizerJson } from '../lib/bert-files';
import { commonEnglishWords } from '../make-test-model';
import { INFLECTED_WORDS, PLAIN_WORDS } from './english-words';

export { wordPieceTokenizer, type TokenizerJson };

/** The BERT uncased vocabulary's size, which the default models share. */
export const BERT_VOCAB_SIZE = 30_522;

/** Where the vocabulary comes from; `load` reads or generates it. */
export interface VocabularySource {
  /** For reports: the folder, or "generated". */
  source: string;
  /** Changes whenever the vocabulary's content does: part of the model cache key. */
  fingerprint: string;
  load(maxTokens: number): Promise<StandinVocabulary>;
}

export interface StandinVocabulary {
  /** The tokenizers-library tokenizer.json, as an object, truncating at `maxTokens`, no padding. */
  tokenizer: TokenizerJson;
  /** tokenizer_config.json when the source folder has one. */
  tokenizerConfig: Record<string, unknown> | null;
  /** Number of pieces: the rows of the word-embedding table. */
  size: number;
}

/** The evaluation data's WordPiece vocabulary folder. */
export function sharedVocabularyDir(): string {
  return evaluationDataDir('wordpiece-uncased');
}

/**
 * The vocabulary the stand-in uses (see the file comment). Throws when
 * TROVE_STANDIN_VOCAB names a folder without a tokenizer.json.
 */
export async function resolveVocabulary(): Promise<VocabularySource> {
  const fromEnv = process.env.TROVE_STANDIN_VOCAB;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, 'tokenizer.json'))) {
      throw new Error(
        `TROVE_STANDIN_VOCAB=${fromEnv} has no tokenizer.json; point it at a folder with a WordPiece tokenizer.json, or unset it to use a generated vocabulary.`,
      );
    }
    return vocabularyFromDir(fromEnv, `TROVE_STANDIN_VOCAB=${fromEnv}`);
  }
  const shared = sharedVocabularyDir();
  if (existsSync(path.join(shared, 'tokenizer.json'))) return vocabularyFromDir(shared, shared);
  return GENERATED_SOURCE;
}

async function vocabularyFromDir(dir: string, source: string): Promise<VocabularySource> {
  const file = path.join(dir, 'tokenizer.json');
  const bytes = await readFile(file);
  return {
    source,
    fingerprint: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
    async load(maxTokens) {
      const tokenizer = JSON.parse(bytes.toString('utf8')) as TokenizerJson;
      if (tokenizer.model?.type !== 'WordPiece' || !tokenizer.model.vocab) {
        throw new Error(`${file} is not a WordPiece tokenizer.`);
      }
      const configFile = path.join(dir, 'tokenizer_config.json');
      const tokenizerConfig = existsSync(configFile)
        ? (JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>)
        : null;
      return {
        // As the shipped models' files: truncation at the model's limit, no fixed padding.
        tokenizer: { ...tokenizer, truncation: truncation(maxTokens), padding: null },
        tokenizerConfig,
        size: Object.keys(tokenizer.model.vocab).length,
      };
    },
  };
}

/** Generator version of the pieces below: part of the fingerprint. */
const GENERATED_VERSION = 1;

const GENERATED_SOURCE: VocabularySource = {
  source: 'generated',
  fingerprint: `generated-v${GENERATED_VERSION}`,
  async load(maxTokens) {
    const pieces = generatedPieces();
    return { tokenizer: wordPieceTokenizer(pieces, maxTokens), tokenizerConfig: null, size: pieces.length };
  },
};

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const SYMBOLS = [
  ...'¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷‐‑‒–—―‖‘’‚“”„†‡•…‰′″‹›€™←↑→↓↔⇒∀∂∃∅∇∈∑−∗√∞∧∨∩∪∫≈≠≡≤≥⊂⊆⋅─│■□▪▶►●○★☆♪',
];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const DIGITS = [...'0123456789'];
const FOREIGN = [
  ...'ßæðøþœƒαβγδεζηθικλμνξοπρστυφχψωабвгдежзийклмнопрстуфхцчшщъыьэюяіїєґאבגדהוזחטיכלמנסעפצקרשת',
  ...'ابتثجحخدذرزسشصضطظعغفقكلمنهويअआइईउएकखगघचछजझटडतथदधनपफबभमयरलवशसहािीुूेो',
  ...'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン',
  ...'一二三四五六七八九十人大中小上下日月年时本出生国的是不了在有我他这为之',
];

/** English endings WordPiece splits off as `##` pieces, most useful first. */
const SUFFIXES = `s es ed ing er ers est ly y ies tion tions ation ations ion ions ment ments ness al ally ity ities ive
ives ic ical ically ics ous ously able ably ible ful less ize ized izes izing ise ised ism ist ists ance ence ances ences
ant ants ent ents ial ure ures age ship hood ward wards like wise ee ees ery ory ary ish ette let`.split(/\s+/);

/** Years and round numbers are whole tokens in the BERT vocabulary. */
function numberWords(): string[] {
  const out: string[] = [];
  for (let n = 10; n <= 200; n++) out.push(String(n));
  for (let n = 210; n <= 1000; n += 10) out.push(String(n));
  for (let n = 1500; n <= 2030; n++) out.push(String(n));
  return out;
}

/**
 * Letter n-grams of the word list, for the pieces that spell words outside
 * it, ranked by how many letters they cover in the list: word starts (2 to 8
 * letters; sequences from inside words count half, as starts of other
 * words), and word middles and ends (2 to 6 letters, as `##` pieces).
 */
function rankedFragments(words: readonly string[]): string[] {
  const score = new Map<string, number>();
  const bump = (piece: string, weight: number): void => {
    score.set(piece, (score.get(piece) ?? 0) + weight);
  };
  for (const word of words) {
    if (!/^[a-z]+$/.test(word)) continue;
    for (let n = 2; n <= Math.min(8, word.length - 1); n++) bump(word.slice(0, n), n - 1);
    for (let start = 1; start < word.length; start++) {
      for (let n = 2; n <= 8 && start + n <= word.length; n++) bump(word.slice(start, start + n), (n - 1) / 2);
      for (let n = 2; n <= 6 && start + n <= word.length; n++) bump(`##${word.slice(start, start + n)}`, n - 1);
    }
  }
  return [...score.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([piece]) => piece);
}

/**
 * A generated stand-in for the BERT uncased vocabulary, in its layout:
 * [PAD] 0, [unused0..98], [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103,
 * [unused99..993], single characters, whole words, `##` endings, then word
 * fragments up to 30,522 pieces. Whole words are the tiny model's common
 * English and technical words with their inflections, numbers and years;
 * the fragments are the most frequent letter sequences of those words, so
 * other English words split into a few pieces, as in the real vocabulary.
 */
export function generatedPieces(): string[] {
  const pieces: string[] = [];
  const seen = new Set<string>();
  const add = (piece: string): void => {
    if (pieces.length >= BERT_VOCAB_SIZE || seen.has(piece)) return;
    seen.add(piece);
    pieces.push(piece);
  };
  add(SPECIALS.pad);
  for (let i = 0; i <= 98; i++) add(`[unused${i}]`);
  for (const special of [SPECIALS.unk, SPECIALS.cls, SPECIALS.sep, SPECIALS.mask]) add(special);
  for (let i = 99; i <= 993; i++) add(`[unused${i}]`);
  const characters = [...PUNCTUATION, ...DIGITS, ...LETTERS, ...SYMBOLS, ...FOREIGN];
  for (const c of characters) add(c);
  for (const c of characters) add(`##${c}`);
  const words = [...commonEnglishWords([INFLECTED_WORDS]), ...PLAIN_WORDS.split(/\s+/).filter(Boolean)];
  for (const word of [...words, ...numberWords()]) add(word);
  for (const suffix of SUFFIXES) add(`##${suffix}`);
  for (const fragment of rankedFragments(words)) add(fragment);
  if (pieces.length < BERT_VOCAB_SIZE) {
    // Not expected with the built-in word list; keeps the table size (and so the model's size) fixed.
    for (let i = 994; pieces.length < BERT_VOCAB_SIZE; i++) add(`[unused${i}]`);
  }
  return pieces;
}
