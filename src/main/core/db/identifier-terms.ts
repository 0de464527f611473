/**
 * The words inside code identifiers, for the keyword index.
 *
 * FTS5's unicode61 tokenizer cuts text at spaces and punctuation, so
 * `snake_case` names are already their words, but a camelCase or PascalCase
 * name is one token: `foldNearDuplicates` could be found only by typing it
 * whole, and "near duplicates" never found the function that folds them.
 * As code search engines do (Lucene's word delimiter filter), each such
 * name in source code is also indexed as its words ("fold near
 * duplicates"), so a search in words finds it, and the words side by side
 * count as the phrase they are.
 *
 * Only chunks of source code get them (structure type `code`): in prose a
 * name like JavaScript, iPhone or YouTube is a brand, not words to be found
 * by "script", "phone" or "tube". The words go after what each column of
 * chunks_fts holds, in the index only (the chunk's text, its file's name and
 * its heading path, through the SQL function the triggers call, migration
 * 12): the stored text, snippets and previews are unchanged.
 */

/** The SQL function the chunks_fts triggers call (registered by db/open.ts on every connection). */
export const IDENTIFIER_TERMS_FUNCTION = 'trove_identifier_terms';

/** A run of letters and digits: one token to the tokenizer. */
const TOKEN_RUN = /[\p{L}\p{N}]+/gu;
/**
 * A word starting inside a run: a capital after a lower-case letter or a
 * digit (fold|Near, utf8|Decode), or the last capital of an acronym before
 * a word (HTTP|Server). Digits after letters alone (`sha256sum`, `utf8`)
 * are no new word.
 */
const CASE_CHANGE = /[\p{Ll}\p{N}]\p{Lu}|\p{Lu}\p{Lu}\p{Ll}/u;
/** The words of a run with a case change: an acronym, a capitalised or lower-case word, or digits. */
const HUMP = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+/gu;
/** Names whose words are indexed per chunk: enough for any real chunk, a bound for a generated one. */
const MAX_NAMES = 2_000;

/** The words of a camelCase or PascalCase name ("XMLHttpRequest" -> XML Http Request), or null for any other run. */
export function identifierParts(run: string): string[] | null {
  if (!CASE_CHANGE.test(run)) return null;
  const parts = run.match(HUMP) ?? [];
  return parts.length > 1 ? parts : null;
}

/**
 * What the index adds for a chunk of code: '' when it names nothing in
 * camelCase, else a newline and each distinct name's words in lower case,
 * one name per line (a name used ten times is still one name).
 */
export function identifierIndexTerms(text: string): string {
  const lines = new Set<string>();
  for (const parts of camelCaseNames(text)) {
    lines.add(parts.join(' '));
    if (lines.size >= MAX_NAMES) break;
  }
  return lines.size === 0 ? '' : `\n${[...lines].join('\n')}`;
}

/** Each camelCase name in `text`, in order, as its words in lower case. */
export function* camelCaseNames(text: string): Generator<string[]> {
  for (const [run] of text.matchAll(TOKEN_RUN)) {
    const parts = identifierParts(run);
    if (parts) yield parts.map((p) => p.toLowerCase());
  }
}

/**
 * Put between the words of a name in text given to a tokenizer of this
 * kind: INVISIBLE SEPARATOR is no letter, so the tokenizer cuts there, it
 * shows nothing, and unlike a zero-width space (which Thai text and pages
 * copied from the web hold) real text hardly ever has it, so taking it out
 * again takes out only what was put in.
 */
export const WORD_BREAK = '\u2063';
/** `text` with WORD_BREAK between the words of every camelCase name (for highlighting them where they stand). */
export function withNameWordsApart(text: string): string {
  return text.replace(TOKEN_RUN, (run) => identifierParts(run)?.join(WORD_BREAK) ?? run);
}
