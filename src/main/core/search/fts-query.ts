/**
 * Writes the FTS5 MATCH expression for a planned keyword query.
 *
 * Nothing the person types is passed through as FTS5 syntax: words arrive
 * here as tokens (the same letters-and-digits notion as the unicode61
 * tokenizer) and every one is written back as a double-quoted string, so
 * operators (AND, OR, NOT, NEAR), column filters, `*`, `^`, parentheses and
 * stray quotes typed in the box are just words or separators. The syntax
 * Trove itself understands (phrases, `-`, `title:`) is parsed by
 * query-syntax.ts and written here with FTS5's own operators.
 */

/** Upper bound on words used, so a pasted essay cannot produce a huge query. */
export const MAX_TERMS = 48;
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

// A short English list of function words. In a question with enough
// content words they only add noise to BM25; in a short query they may be
// the point ("how long ... been up"), so they are kept there (keyword-plan.ts).
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how ' +
    'i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own ' +
    'same she should so some such than that the their theirs them then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours near'
  ).split(' '),
);

/** The words of a query, lower-cased, at most MAX_TERMS x 4 of them. */
export function tokenize(text: string): string[] {
  return textTokens(text).slice(0, MAX_TERMS * 4);
}

/** Every word of a text, lower-cased (as the index's tokenizer cuts it, before stemming). */
export function textTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** A token as a quoted FTS5 string: safe whatever it holds. */
export function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

/** One optional word of the query. */
export interface MatchTerm {
  token: string;
  /** Match every word it starts (the person is still typing it). */
  prefix?: boolean;
}

export interface MatchParts {
  /** Optional words, OR-ed: BM25 ranks chunks holding more (and rarer) of them higher. */
  terms: readonly MatchTerm[];
  /** Required phrases (token lists). */
  phrases: readonly string[][];
  /** Required title words or phrases. */
  titles: readonly string[][];
  /** Words or phrases a chunk must not contain. */
  excluded: readonly string[][];
  /** Title words or phrases a chunk's title must not contain. */
  excludedTitles: readonly string[][];
}

/** A phrase (token list) as an FTS5 string. */
export const phrase = (tokens: readonly string[]): string => quote(tokens.join(' '));
/** A phrase that must be in the title column. */
export const inTitle = (tokens: readonly string[]): string => `{title} : ${phrase(tokens)}`;

/**
 * The FTS5 expression, or null when there is nothing positive to search
 * for. Phrases and title words are required; loose words are OR-ed, which
 * suits both long natural-language questions and short keyword queries.
 */
export function buildMatchExpression(parts: MatchParts): string | null {
  const required = [...parts.phrases.map(phrase), ...parts.titles.map(inTitle)];
  const optional = parts.terms.map((t) => `${quote(t.token)}${t.prefix ? '*' : ''}`);
  let positive: string;
  if (required.length === 0) {
    if (optional.length === 0) return null;
    positive = optional.join(' OR ');
  } else if (optional.length === 0) {
    positive = required.join(' AND ');
  } else {
    // `required AND (r1 OR t1 OR t2)`: the required part keeps the OR group
    // always satisfied, so the loose words stay optional but still score.
    positive = `${required.join(' AND ')} AND (${[required[0], ...optional].join(' OR ')})`;
  }
  const excluded = [...parts.excluded.map(phrase), ...parts.excludedTitles.map(inTitle)];
  if (excluded.length === 0) return positive;
  return `(${positive}) NOT (${excluded.join(' OR ')})`;
}
