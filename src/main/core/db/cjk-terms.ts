/**
 * Words for Chinese, Japanese and Korean text in the keyword index.
 *
 * FTS5's unicode61 tokenizer cuts text at spaces and punctuation, and
 * Chinese and Japanese put no spaces between words: a whole clause
 * ("我们在温室里种植番茄和黄瓜") was one token, so a search for 番茄 found
 * nothing. As Lucene's CJK analyzer does, each run of such letters is also
 * indexed as its overlapping pairs of characters (bigrams: 温室 室里 里种...),
 * and a word typed in a search becomes the phrase of its pairs, which
 * matches where those characters stand together. Korean, written with
 * spaces but with particles joined to its words (온실에서, "in the
 * greenhouse"), is found by its stem (온실) the same way.
 *
 * The terms go after the chunk's text in the index only (the `chunk_text`
 * column of chunks_fts, through the SQL function `trove_cjk_terms` its
 * triggers call): the stored text, snippets and previews are unchanged.
 */

/** A letter of the scripts written without spaces between words (and Hangul; ー is the kana's long vowel mark). */
const CJK_LETTERS = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30fc]';
const CJK_LETTER = new RegExp(CJK_LETTERS, 'u');
const CJK_RUN = new RegExp(`${CJK_LETTERS}+`, 'gu');

/** The SQL function the chunks_fts triggers call (registered by db/open.ts on every connection). */
export const CJK_TERMS_FUNCTION = 'trove_cjk_terms';

/**
 * What the index adds for a text: '' when it has no such letters, else a
 * newline and, for each run, its bigrams and its last character alone (so
 * every character starts an indexed term, and a single character typed
 * finds it as a prefix), one run per line.
 */
export function cjkIndexTerms(text: string): string {
  if (!hasCjk(text)) return '';
  const lines: string[] = [];
  for (const [run] of text.matchAll(CJK_RUN)) {
    const chars = [...run];
    lines.push(chars.length === 1 ? run : [...bigrams(chars), chars[chars.length - 1]].join(' '));
  }
  return `\n${lines.join('\n')}`;
}

export function hasCjk(text: string): boolean {
  return CJK_LETTER.test(text);
}

/**
 * How a typed word's runs of such letters are searched: a run of two or
 * more as the phrase of its bigrams ("番茄和" -> "番茄 茄和"), a single
 * character as the prefix of the terms it starts.
 */
export function cjkQueryTerms(word: string): Array<{ token: string; prefix?: boolean }> {
  const terms: Array<{ token: string; prefix?: boolean }> = [];
  for (const [run] of word.matchAll(CJK_RUN)) {
    const chars = [...run];
    terms.push(chars.length === 1 ? { token: run, prefix: true } : { token: bigrams(chars).join(' ') });
  }
  return terms;
}

/**
 * A quoted phrase as the index holds it: a phrase all in these scripts as
 * the pairs of its characters; a phrase mixing scripts stays as typed (the
 * pairs are indexed apart from the words around them, so it matches only
 * where the index keeps it whole).
 */
export function indexedPhrase(tokens: string[]): string[] {
  if (tokens.length === 0 || !tokens.every(hasCjk)) return tokens;
  const [only, ...more] = cjkQueryTerms(tokens.join(''));
  return only && more.length === 0 && !only.prefix ? only.token.split(' ') : tokens;
}

function bigrams(chars: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}
