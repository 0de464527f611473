import { hasCjk } from '../db/cjk-terms';
import { escapeRegExp } from '../../../shared/escape-regexp';
import { CODE_OPEN, insideCode, MATCH_CLOSE, MATCH_OPEN } from './snippet-segments';

/**
 * Highlights for Chinese, Japanese and Korean words. The index finds them by
 * character pairs (db/cjk-terms.ts), but the highlighter cuts text as FTS5's
 * tokenizer does, where a clause without spaces is one token: a search for
 * 番茄 found the note and showed its first sentence, unmarked. These words
 * are marked where they stand in the shown text instead.
 */

/** Characters shown before the first marked word of a window, and in all. */
const LEAD_CHARS = 40;
const WINDOW_CHARS = 160;

/**
 * The words of a keyword plan's highlight expression written in these
 * scripts, as typed: a quoted term as it is, a phrase of character pairs
 * ("温室 室里 里种") put back together ("温室里种").
 */
export function cjkWordsOf(expression: string | null): string[] {
  if (!expression || !hasCjk(expression)) return [];
  const words = new Set<string>();
  for (const [, quoted] of expression.matchAll(/"((?:[^"]|"")*)"/g)) {
    const text = (quoted as string).replace(/""/g, '"');
    if (!hasCjk(text)) continue;
    const parts = text.split(' ');
    const joined = parts.every((p) => [...p].length === 2)
      ? parts.reduce((word, pair) => (word === '' ? pair : word + [...pair][1]), '')
      : text.replace(/\s+/g, '');
    if (joined !== '') words.add(joined);
  }
  // Longest first, so a longer word is marked whole rather than a shorter one inside it.
  return [...words].sort((a, b) => b.length - a.length);
}

/**
 * `marked` (shown text, perhaps with FTS5's marks) with every occurrence of
 * `words` marked, outside existing marks. A mark FTS5 set on a whole clause
 * that holds one of the words is narrowed to the words: a clause is one
 * token to FTS5, so a word at its start matched it as a prefix and marked
 * all of it ("[ポンプを点検します]" for ポンプ).
 */
export function markWords(marked: string, words: readonly string[]): string {
  if (words.length === 0) return marked;
  const pattern = new RegExp(words.map(escapeRegExp).join('|'), 'g');
  const markAll = (text: string): string => text.replace(pattern, (word) => `${MATCH_OPEN}${word}${MATCH_CLOSE}`);
  const pieces = marked.split(/([\uE000\uE001])/);
  let inMatch = false;
  return pieces
    .map((piece, i) => {
      if (piece === MATCH_OPEN || piece === MATCH_CLOSE) {
        inMatch = piece === MATCH_OPEN;
        const clause = piece === MATCH_OPEN ? pieces[i + 1] : pieces[i - 1];
        return clause !== undefined && isWiderClause(clause, words, pattern) ? '' : piece;
      }
      if (!inMatch || isWiderClause(piece, words, pattern)) return markAll(piece);
      return piece;
    })
    .join('');
}

/** A marked clause of these scripts that holds one of `words` but is more than it. */
function isWiderClause(clause: string, words: readonly string[], pattern: RegExp): boolean {
  pattern.lastIndex = 0;
  return hasCjk(clause) && !words.includes(clause) && pattern.test(clause);
}

/**
 * A snippet of shown text around the first of `words` it holds, all of them
 * marked, or null when it holds none. A window opening inside code starts
 * with a code mark, as FTS5's windows do (keyword-snippets.ts).
 */
export function windowAroundWords(text: string, words: readonly string[]): string | null {
  const first = words.reduce((at, word) => {
    const found = text.indexOf(word);
    return found >= 0 && (at < 0 || found < at) ? found : at;
  }, -1);
  if (first < 0) return null;
  const start = notInPair(text, Math.max(0, first - LEAD_CHARS));
  const end = notInPair(text, Math.min(text.length, start + WINDOW_CHARS));
  const window = `${insideCode(text, start) ? CODE_OPEN : ''}${text.slice(start, end)}`;
  return `${start > 0 ? '…' : ''}${markWords(window, words)}${end < text.length ? '…' : ''}`;
}

/** `at`, or one before it when it would cut a character written as a surrogate pair (a rare ideograph). */
function notInPair(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}
