import type { Database } from 'better-sqlite3';
import { hasCjk } from '../db/cjk-terms';
import { quote, textTokens } from './fts-query';
import type { Vocabulary } from './vocabulary';

/**
 * Spelling help from the library's own vocabulary: a word the index has
 * never (or almost never) seen is compared with the words one edit away
 * (a letter left out, added, changed, or two swapped: Damerau's four,
 * which cover most typing slips), and the one the library uses most wins.
 *
 * The cost is bounded whatever the library's size: about 55 x length
 * candidate words are stemmed in one private FTS5 insert and looked up by
 * equality in fts5vocab (a seek each; only the few that exist walk their
 * postings). Nothing scans the vocabulary.
 */
export interface Correction {
  /** The word as the person typed it (lower-cased token). */
  word: string;
  /** The word the library knows. */
  correction: string;
  /** Chunks holding the correction's stem. */
  rows: number;
}

/** Words shorter than this are not corrected: one edit away from a 3-letter word is half the dictionary. */
export const MIN_CORRECTABLE_LENGTH = 4;
/** Nor longer than this: such a "word" is pasted, not typed (and its edits would cost too much). */
export const MAX_CORRECTABLE_LENGTH = 24;
/**
 * A word the library has seen a few times is only taken for a typo of a
 * word it uses this many times more often (and at least MIN_ROWS times); a
 * word it has never seen gives way to any word it knows.
 */
const MIN_ADVANTAGE = 10;
const MIN_ROWS = 5;

/** Words one edit away from `word` (deletions, transpositions, substitutions, insertions). */
export function editsOf(word: string): string[] {
  const letters = new Set('abcdefghijklmnopqrstuvwxyz');
  for (const ch of word) if (/\p{L}/u.test(ch)) letters.add(ch);
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i).join('');
    if (tail) out.add(head + tail.slice(1));
    if (chars[i + 1] !== undefined) out.add(head + chars[i + 1] + chars[i] + chars.slice(i + 2).join(''));
    for (const c of letters) {
      if (tail) out.add(head + c + tail.slice([...tail][0]!.length));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out];
}

/** True for words worth correcting: of a typed word's length and made of letters only (not ids, numbers or codes). */
export function isCorrectable(word: string): boolean {
  const length = [...word].length;
  // Chinese, Japanese and Korean are searched by character pairs (db/cjk-terms.ts), not spelled letter by letter.
  return (
    length >= MIN_CORRECTABLE_LENGTH && length <= MAX_CORRECTABLE_LENGTH && /^\p{L}+$/u.test(word) && !hasCjk(word)
  );
}

/**
 * The best correction of `word`, or null when no word one edit away is
 * used clearly more often than `word` itself (`rows`: chunks holding it).
 */
export function correctWord(db: Database, vocabulary: Vocabulary, word: string, rows: number): Correction | null {
  if (!isCorrectable(word)) return null;
  const candidates = editsOf(word);
  const stems = vocabulary.stems(candidates);
  const [ownStem] = vocabulary.stems([word]);
  const frequencies = vocabulary.documentFrequencies(stems.filter((s) => s && s !== ownStem));
  let best: { stem: string; rows: number } | null = null;
  for (const [stem, n] of frequencies) {
    if (!best || n > best.rows || (n === best.rows && stem < best.stem)) best = { stem, rows: n };
  }
  if (!best || (rows > 0 && best.rows < Math.max(MIN_ROWS, MIN_ADVANTAGE * rows))) return null;
  const spellings = candidates.filter((_, i) => stems[i] === best.stem);
  return { word, correction: surfaceForm(db, vocabulary, best.stem, spellings), rows: best.rows };
}

/**
 * How the library writes the word with this stem: one of the candidate
 * spellings if its text uses it ("archive" rather than the bare stem
 * "archiv"), else the commonest word of that stem in a few chunks that hold
 * it ("source" for "sourd", whose nearest stem is "sourc").
 */
function surfaceForm(db: Database, vocabulary: Vocabulary, stem: string, spellings: readonly string[]): string {
  const texts = db
    .prepare(
      `SELECT c.chunk_text FROM chunks_fts f JOIN imported_doc_chunks c ON c.id = f.rowid WHERE chunks_fts MATCH ? LIMIT 3`,
    )
    .pluck()
    .all(quote(spellings[0]!)) as string[];
  const counts = new Map<string, number>();
  for (const token of texts.flatMap((t) => textTokens(t.slice(0, 20_000))))
    counts.set(token, (counts.get(token) ?? 0) + 1);
  const literal = spellings.find((s) => counts.has(s));
  if (literal) return literal;
  const words = [...counts.keys()].filter((w) => /^\p{L}+$/u.test(w));
  const stems = vocabulary.stems(words);
  const sameStem = words.filter((_, i) => stems[i] === stem).sort((a, b) => counts.get(b)! - counts.get(a)!);
  return sameStem[0] ?? spellings[0]!;
}

/** `input` with each corrected word replaced (whole words, case-insensitively, where first typed). */
export function correctedQuery(input: string, corrections: readonly Correction[]): string {
  let out = input;
  for (const { word, correction } of corrections) {
    let replaced = false;
    out = out.replace(/[\p{L}\p{N}\p{M}]+/gu, (token) => {
      if (replaced || token.normalize('NFKC').toLowerCase() !== word) return token;
      replaced = true;
      return correction;
    });
  }
  return out;
}
