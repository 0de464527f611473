/**
 * Turns whatever a person typed into a safe FTS5 MATCH expression.
 *
 * Nothing the person types is passed through as FTS5 syntax: the input is cut
 * into word tokens (the same letters-and-digits notion as the unicode61
 * tokenizer), and every token is written back as a double-quoted string, so
 * operators (AND, OR, NOT, NEAR), column filters (`title:`), `*`, `^`,
 * parentheses and stray quotes are just words or separators. The only syntax
 * honoured is a balanced pair of double quotes, which makes a phrase.
 */
export interface ParsedQuery {
  /** Quoted phrases (each a list of tokens); all of them are required. */
  phrases: string[][];
  /** Loose words, deduplicated and lower-cased, stopwords removed when other words remain. */
  terms: string[];
  /** The last loose word is still being typed: match it as a prefix. */
  prefixTerm?: string;
}

/** Upper bound on words used, so a pasted essay cannot produce a huge query. */
const MAX_TERMS = 48;
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

// A short English stopword list: in OR queries these words match nearly
// every chunk and only add noise to BM25 (their IDF is tiny but not zero).
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how ' +
    'i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own ' +
    'same she should so some such than that the their theirs them then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours near'
  ).split(' '),
);

export function tokenize(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(TOKEN) ?? []).slice(0, MAX_TERMS * 4);
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

export function parseQuery(input: string): ParsedQuery {
  const phrases: string[][] = [];
  const loose: string[] = [];
  // Split on double quotes: odd-numbered pieces are inside a pair. An
  // unbalanced final quote leaves its tail as loose words.
  const pieces = input.split('"');
  const balanced = pieces.length % 2 === 1;
  pieces.forEach((piece, i) => {
    const insidePair = i % 2 === 1 && (balanced || i < pieces.length - 1);
    const tokens = tokenize(piece);
    if (insidePair && tokens.length > 0) phrases.push(tokens);
    else loose.push(...tokens);
  });

  // The person is typing the last word when the input ends inside it
  // (a letter or digit, not a space, punctuation or a closing quote).
  const typing = /[\p{L}\p{N}\p{M}]$/u.test(input) && loose.length > 0 && !input.trimEnd().endsWith('"');
  const lastLoose = typing ? loose[loose.length - 1] : undefined;

  const unique = [...new Set(loose)];
  const content = unique.filter((t) => !isStopword(t));
  let terms = (content.length > 0 || phrases.length > 0 ? content : unique).slice(0, MAX_TERMS);
  let prefixTerm: string | undefined;
  // A stopword being typed is usually the start of a longer word ("the" ->
  // "theory") only when it is the whole query; elsewhere it stays dropped.
  if (lastLoose !== undefined && (!isStopword(lastLoose) || unique.length === 1)) {
    terms = terms.filter((t) => t !== lastLoose);
    prefixTerm = lastLoose;
  }
  return { phrases: phrases.slice(0, MAX_TERMS).map((p) => p.slice(0, MAX_TERMS)), terms, prefixTerm };
}

function quote(token: string): string {
  // Tokens hold only letters, digits and marks, but double any quote anyway
  // so this stays safe even if the token rule changes.
  return `"${token.replace(/"/g, '""')}"`;
}

/**
 * The FTS5 expression for a parsed query, or null when there is nothing to
 * search for. Phrases are required; loose words are OR-ed (BM25 ranks
 * chunks with more of them higher), which suits both long natural-language
 * questions and short keyword queries.
 */
export function toMatchExpression(parsed: ParsedQuery): string | null {
  const phrases = parsed.phrases.map((p) => quote(p.join(' ')));
  const optional = parsed.terms.map(quote);
  if (parsed.prefixTerm) optional.push(`${quote(parsed.prefixTerm)}*`);
  if (phrases.length === 0) return optional.length > 0 ? optional.join(' OR ') : null;
  const required = phrases.join(' AND ');
  if (optional.length === 0) return required;
  // `required AND (p1 OR t1 OR t2)`: the phrase keeps the OR group always
  // satisfied, so the loose words stay optional but still add to the score.
  return `${required} AND (${[phrases[0], ...optional].join(' OR ')})`;
}

/** All words of the query (for lexical scoring of sentences), stopwords removed when possible. */
export function queryWords(parsed: ParsedQuery): string[] {
  const words = [...parsed.phrases.flat(), ...parsed.terms];
  if (parsed.prefixTerm) words.push(parsed.prefixTerm);
  return [...new Set(words)];
}
