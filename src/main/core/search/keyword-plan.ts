import type { Database } from 'better-sqlite3';
import { cjkQueryTerms, indexedPhrase } from '../db/cjk-terms';
import { buildMatchExpression, isStopword, MAX_TERMS, quote, type MatchTerm } from './fts-query';
import { adjacentPairs, MAX_PAIRS } from './keyword-proximity';
import { pairableFunctionWords } from './paired-function-words';
import { parseQuerySyntax, type QuerySyntax } from './query-syntax';
import { correctWord, isCorrectable, type Correction } from './spelling';
import { Vocabulary } from './vocabulary';

/**
 * How the words of a query become the keyword search, decided against the
 * library's own vocabulary:
 *
 * 1. Function words ("how", "the", "been") are dropped when the question
 *    has at least `functionWordsAt` other words (then they only add noise
 *    to BM25), and kept in shorter queries, where they may be the point
 *    ("how long has it been up"), in queries made only of them ("to be or
 *    not to be") and always inside quoted phrases. A question's opening
 *    frame ("how do I") goes first (`withoutQuestionFrame`). Kept beside a
 *    single content word, they rank the chunks that hold that word and find
 *    nothing on their own.
 * 2. Words that stem alike count once ("flow flows"): a question does not
 *    mean a word twice as much for writing it in two forms.
 * 3. The last word is matched as a prefix only while it is being typed and
 *    is not yet a word of the library ("sourd" finds "sourdough"; a
 *    finished "ports" does not also match "portion").
 * 4. A word the library has never seen, one edit from a word it uses
 *    (`spelling.ts`), also matches that word; a word it has seen a
 *    handful of times only earns a "did you mean".
 * 5. A run typed as one word but cut into several by the tokenizer (a file
 *    name, `snake_case`, a path, a long option) is also searched as a phrase,
 *    so the place that has those words together ranks above places that have
 *    them apart; its function words are searched only in that phrase.
 * 6. A word typed with a hyphen ("e-mail", "co-routine") is searched as the
 *    word closed up ("email") and the phrase of its parts, when the library
 *    writes it closed up more often (`withHyphenatedClosedUp`).
 * 7. The remaining words, taken in pairs as typed, raise chunks that have a
 *    pair side by side (keyword-proximity.ts); a word still being typed is
 *    left out of the pairs. The function words dropped from a long question
 *    stay in its pairs beside a content word ("numbers from", "a command")
 *    while few enough chunks hold them to walk their postings
 *    (paired-function-words.ts).
 */
const INTERROGATIVES = new Set(['how', 'what', 'where', 'when', 'why', 'which', 'who']);
const AUXILIARIES = new Set('do does did can could should would will shall may might must is are was were'.split(' '));
const SUBJECTS = new Set(['i', 'we', 'you', 'one', 'they', 'he', 'she', 'it']);

/**
 * The words of a query without the frame a question opens with: an
 * interrogative and an auxiliary, with the subject after it ("how do I",
 * "what is", "where can we"), "how to", or the auxiliary and subject of a
 * yes-no question ("can I", "should we"). The frame says that something is
 * asked, not what: kept as function words of a short question, "how do I
 * rename a branch" put six "How to ..." pages of Git's documentation in the
 * top ten and git-branch below it. An interrogative with a word of its own stays ("how long has
 * it been up", "how much memory is free"), and so does the frame of a
 * question with fewer than two content words, where it may match a page
 * asking the same ("what is git", "What is Git?").
 */
export function withoutQuestionFrame(words: readonly string[]): readonly string[] {
  const [first, second, third] = words;
  if (first === undefined || second === undefined) return words;
  let frame = 0;
  if (first === 'how' && second === 'to') frame = 2;
  else if (INTERROGATIVES.has(first) && AUXILIARIES.has(second))
    frame = third !== undefined && SUBJECTS.has(third) ? 3 : 2;
  // A yes-no question: "can I", "should we", "do you".
  else if (AUXILIARIES.has(first) && SUBJECTS.has(second)) frame = 2;
  const rest = words.slice(frame);
  return frame > 0 && rest.filter((word) => !isStopword(word)).length >= 2 ? rest : words;
}

/**
 * The loose words to mark in snippets and the preview. A function word kept
 * beside content words to rank ("how do I configure the proxy") is marked
 * only where it stands beside one of them as typed ("the proxy", "near
 * duplicates"): marked alone, "the" every few words drowned the words that
 * matter and drew each snippet to where "the" stands thickest. A query of
 * function words only marks them all.
 */
function markedTerms(terms: readonly MatchTerm[], pairs: readonly (readonly string[])[]): MatchTerm[] {
  const content = terms.filter((t) => !isStopword(t.token));
  if (content.length === 0) return [...terms];
  const kept = new Set(terms.map((t) => t.token));
  const besideContent = pairs.filter(
    (pair) => pair.every((w) => kept.has(w)) && pair.some(isStopword) && pair.some((w) => !isStopword(w)),
  );
  return [...content, ...besideContent.map((pair) => ({ token: pair.join(' ') }))];
}

/**
 * The loose words with each hyphenated word the library writes closed up
 * more often than with its hyphen or apart ("e-mail" as "email",
 * "co-routine" as "coroutine") taken as that one word, its parts then
 * searched only as their phrase (`closedUp`), where a text writes it with
 * the hyphen. As words of their own, the parts had matched what was not
 * meant: "co" of Python's covariant type variables (`T_co`) put the typing
 * module above "Coroutines and Tasks". A hyphenated word the library
 * writes apart as often ("heat-transfer"), or a name written with its
 * hyphen (`git-credential`, which Git's pages write far more often than
 * "gitcredentials"), stays its parts.
 */
function withHyphenatedClosedUp(
  vocabulary: Vocabulary,
  syntax: QuerySyntax,
): { words: string[]; closedUp: string[][] } {
  const closedUp = syntax.hyphenated.filter(
    ({ parts }) =>
      vocabulary.rowsUpTo(quote(parts.join('')), USAGE_COUNTED) >
      vocabulary.rowsUpTo(quote(parts.join(' ')), USAGE_COUNTED),
  );
  if (closedUp.length === 0) return { words: syntax.words, closedUp: [] };
  const words = [...syntax.words];
  // From the last, so each `at` still points at its parts.
  for (const { parts, at } of [...closedUp].reverse()) words.splice(at, parts.length, parts.join(''));
  return { words, closedUp: closedUp.map(({ parts }) => parts) };
}

/**
 * The loose words without the function words of a name typed as one run
 * (`--one-file-system`, `how-to-guide.md`): there they are part of the
 * name, searched as its phrase (the compound), not words of their own. As
 * words of their own, "with" had matched, and been marked, in every
 * sentence holding it for `--force-with-lease`. A name made only of
 * function words keeps them.
 */
function withoutNameFunctionWords(syntax: QuerySyntax): readonly string[] {
  const inNames = new Set(
    syntax.compounds
      .filter((name) => name.some((word) => !isStopword(word)))
      .flatMap((name) => name.filter(isStopword)),
  );
  if (inNames.size === 0) return syntax.words;
  const elsewhere = syntax.words.filter((word) => !inNames.has(word));
  return elsewhere.length > 0 ? elsewhere : syntax.words;
}

/** Chunks counted, at most, of a hyphenated word's two spellings (`withHyphenatedClosedUp`). */
const USAGE_COUNTED = 1000;
/** Content words from which function words are dropped (SearchTuning.functionWordsAt). */
export const MIN_CONTENT_WORDS = 3;
/** Rows a word may occur in and still be checked for a likelier spelling. */
const RARE_ROWS = 2;
/** Spelling corrections per query: each costs a few lookups. */
const MAX_CORRECTIONS = 3;

export interface KeywordPlan {
  /** The FTS5 expression, or null when the query has nothing positive to search for. */
  match: string | null;
  /** Every word the keyword search looks for (for choosing sentences). */
  words: string[];
  /** Adjacent words whose phrase raises a chunk (keyword-proximity.ts). */
  pairs: Array<[string, string]>;
  /** The words and phrases to highlight in chunk text, OR-ed (no column filter, no NOT), or null. */
  highlight: string | null;
  /** Misspellings matched as their likely word as well. */
  fuzzy: Correction[];
  /** Words that are probably misspelt, with the likelier word. */
  corrections: Correction[];
}

/** Plans the keyword side of a parsed query (see the module comment for the rules). */
export function planKeywordQuery(
  db: Database,
  syntax: QuerySyntax,
  functionWordsAt: number = MIN_CONTENT_WORDS,
): KeywordPlan {
  const vocabulary = new Vocabulary(db);
  const { words: closedWords, closedUp } = withHyphenatedClosedUp(vocabulary, syntax);
  const loose = [...new Set(withoutQuestionFrame(withoutNameFunctionWords({ ...syntax, words: closedWords })))];
  const content = loose.filter((t) => !isStopword(t));
  const enough = content.length + syntax.phrases.length >= functionWordsAt;
  const chosen = (enough ? content : loose).slice(0, MAX_TERMS);
  // One content word among the function words kept ("what is a workspace"): a chunk must hold it, and the
  // function words only order those that do. Optional, "what is a" had put the "What is a Package"
  // section of npm's documentation above its page on workspaces.
  const lone = !enough && content.length === 1 && syntax.phrases.length === 0 ? content[0] : undefined;
  let required: string | undefined;

  // One word per stem, in the order typed.
  const stems = vocabulary.stems(chosen);
  const seen = new Set<string>();
  const tokens = chosen.filter((t, i) => {
    const stem = stems[i]!;
    if (!stem || seen.has(stem)) return false;
    seen.add(stem);
    return true;
  });

  const typed = syntax.typingLast ? syntax.words[syntax.words.length - 1] : undefined;
  const terms: MatchTerm[] = [];
  const fuzzy: Correction[] = [];
  const corrections: Correction[] = [];
  // Each word as the library has it, in the order typed: a misspelling by its likely word, a word being typed not at all.
  const pairedAs = new Map<string, string>();
  for (const token of tokens) {
    const rows = vocabulary.rowsUpTo(quote(token), RARE_ROWS + 1);
    const prefix = token === typed && rows === 0;
    terms.push(prefix ? { token, prefix } : { token });
    if (!prefix) pairedAs.set(token, token);
    // A word the library lacks may be a typo matched through its correction: it cannot be required.
    if (token === lone && !prefix && rows > 0) required = token;
    if (rows > RARE_ROWS || corrections.length >= MAX_CORRECTIONS || !isCorrectable(token)) continue;
    if (rows > 0 && besideOtherWords(vocabulary, token, tokens)) continue;
    // A word being typed is a typo only when nothing continues it ("archve"), not when it is unfinished ("archi").
    if (prefix && vocabulary.rowsUpTo(`${quote(token)}*`, 1) > 0) continue;
    const correction = correctWord(db, vocabulary, token, rows);
    if (!correction) continue;
    corrections.push(correction);
    if (rows === 0) {
      fuzzy.push(correction);
      terms.push({ token: correction.correction });
      if (!prefix) pairedAs.set(token, correction.correction);
    }
  }

  for (const compound of syntax.compounds.slice(0, MAX_TERMS)) terms.push({ token: compound.join(' ') });
  for (const parts of closedUp.slice(0, MAX_TERMS)) terms.push({ token: parts.join(' ') });
  // Chinese, Japanese and Korean words as the phrases of their character pairs (db/cjk-terms.ts).
  for (const token of tokens) terms.push(...cjkQueryTerms(token));

  const match = buildMatchExpression({
    // A required word is in the expression's optional group already (buildMatchExpression).
    terms: terms.filter((t) => t.token !== required),
    phrases: [...syntax.phrases.map(indexedPhrase), ...(required ? [[required]] : [])],
    titles: syntax.titles.map(indexedPhrase),
    excluded: syntax.excluded.map(indexedPhrase),
    excludedTitles: syntax.excludedTitles.map(indexedPhrase),
  });
  const words = [...new Set([...syntax.phrases, ...syntax.titles, ...terms.map((t) => t.token.split(' '))].flat())];
  const pairs = enough
    ? adjacentPairs(withPairedFunctionWords(db, vocabulary, loose, pairedAs), (pair) =>
        pair.some((w) => !isStopword(w)),
      )
    : adjacentPairs([...pairedAs.values()]);
  const highlight = buildMatchExpression({
    terms: [
      ...markedTerms(terms, pairs),
      ...[...syntax.phrases, ...syntax.titles, ...syntax.quotedNames].map((p) => ({ token: p.join(' ') })),
    ],
    phrases: [],
    titles: [],
    excluded: [],
    excludedTitles: [],
  });
  return { match, words, pairs, highlight, fuzzy, corrections };
}

/**
 * The words of a long question to take in pairs, in the order typed: its content words as the
 * library has them (`pairedAs`), and the function words between them that few enough chunks hold
 * (paired-function-words.ts). A commoner function word is left out, so the words on each side of
 * it pair with each other, as they did before function words were paired.
 */
function withPairedFunctionWords(
  db: Database,
  vocabulary: Vocabulary,
  loose: readonly string[],
  pairedAs: ReadonlyMap<string, string>,
): string[] {
  // Only the first pairs are scored (MAX_PAIRS): a pasted paragraph's later function words are not counted.
  const considered = loose.slice(0, 2 * MAX_PAIRS + 1);
  const pairable = pairableFunctionWords(db, vocabulary, considered.filter(isStopword));
  return considered.flatMap((word) => {
    if (isStopword(word)) return pairable.has(word) ? [word] : [];
    const form = pairedAs.get(word);
    return form === undefined ? [] : [form];
  });
}

/**
 * Whether a chunk holds `token` beside another of the question's words: then the rare word is the one
 * meant, not a slip for a commoner one ("staking" in "tomatoes staking aphids", found in the note
 * about staking tomatoes, had earned "Did you mean tomatoes take aphids").
 */
function besideOtherWords(vocabulary: Vocabulary, token: string, tokens: readonly string[]): boolean {
  // Function words kept in a short question ("the staking") stand beside anything.
  const others = tokens.filter((t) => t !== token && !isStopword(t));
  return others.length > 0 && vocabulary.rowsUpTo(`${quote(token)} AND (${others.map(quote).join(' OR ')})`, 1) > 0;
}

/** The keyword search's MATCH expression for a query as typed (for benchmarks and tests). */
export function keywordMatch(db: Database, query: string): string | null {
  return planKeywordQuery(db, parseQuerySyntax(query)).match;
}
