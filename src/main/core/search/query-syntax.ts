import { AppError } from '../../../shared/errors';
import { camelCaseNames } from '../db/identifier-terms';
import { tokenize } from './fts-query';

/**
 * The search box's syntax, parsed once in core for the UI, the HTTP API and
 * the CLI alike:
 *
 *   budget "exact phrase" -draft -"old plan" title:report type:pdf in:Work after:2025-01-01 before:2025-07
 *
 * - `"..."` a phrase that must appear; `-word` / `-"phrase"` leaves out
 *   documents that contain it; `title:word` / `title:"words"` must appear in
 *   the title (`-title:` leaves such titles out);
 * - `type:` a file type (pdf, docx, md, code, a file extension or a MIME
 *   type), `in:` a source by its name, `after:` / `before:` a date
 *   (YYYY, YYYY-MM or YYYY-MM-DD, local time) on the modification time.
 *
 * Only these names followed by a colon are operators: `10:30`, `note:` or a
 * URL stay words. Nothing typed reaches FTS5 as syntax: words and phrases
 * are tokens, quoted again when the match expression is written.
 */
export type OperatorKind = 'phrase' | 'exclude' | 'title' | 'type' | 'in' | 'after' | 'before';

/** An operator as typed, in the order it appears. */
export interface RawOperator {
  kind: OperatorKind;
  /** Exactly as typed, e.g. `-"old plan"` or `type:pdf`. */
  text: string;
  /** The operator's value without quotes or the leading `-`. */
  value: string;
  /** `-title:` (titles left out). */
  negated: boolean;
}

export interface QuerySyntax {
  /** Loose words, lower-cased tokens in the order typed (duplicates kept). */
  words: string[];
  /** Required phrases (each a token list; a one-word phrase is a required word). */
  phrases: string[][];
  /**
   * Loose runs typed as one name that the tokenizer cuts into several
   * (`quarterly-report-2024.pdf`, `max_retry_count`, `src/cli.ts`): their
   * words are loose words too, and together they are worth a phrase bonus.
   * A camelCase name (`foldNearDuplicates`) is one token, also searched as
   * the phrase of its words, which source code is indexed with
   * (db/identifier-terms.ts).
   */
  compounds: string[][];
  /**
   * Words typed with a hyphen between letters (`e-mail`, `co-routine`,
   * `re-index`): texts write the same word with and without it ("email"),
   * and the index keeps a hyphenated word as its parts. `at` is where its
   * parts start in `words`.
   */
  hyphenated: Array<{ parts: string[]; at: number }>;
  /** camelCase names inside required phrases, as their words: where code shows them, for highlighting. */
  quotedNames: string[][];
  /** Words or phrases whose documents are left out. */
  excluded: string[][];
  /** Required title words or phrases. */
  titles: string[][];
  /** Title words or phrases whose documents are left out. */
  excludedTitles: string[][];
  /** Every operator recognised, as typed. */
  operators: RawOperator[];
  /** The input ends inside its last loose word: the person may still be typing it. */
  typingLast: boolean;
}

const NAMED = new Set(['title', 'type', 'in', 'after', 'before']);
/** Operators whose value says which documents, not which words: they cannot be negated. */
const FILTERS = new Set(['type', 'in', 'after', 'before']);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Letters joined by single hyphens, two or three parts: "e-mail", "co-routine", "up-to-date"; not `--force`. */
const HYPHENATED_WORD = /^\p{L}+(?:-\p{L}+){1,2}$/u;

/** Parses the search box's text; throws a VALIDATION AppError naming a malformed operator. */
export function parseQuerySyntax(input: string): QuerySyntax {
  const out: QuerySyntax = {
    words: [],
    phrases: [],
    compounds: [],
    hyphenated: [],
    quotedNames: [],
    excluded: [],
    titles: [],
    excludedTitles: [],
    operators: [],
    typingLast: false,
  };
  let i = 0;
  let lastWasLooseWord = false;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/u.test(ch)) {
      i++;
      lastWasLooseWord = false;
      continue;
    }
    const start = i;
    const negated = ch === '-' && i + 1 < input.length && (input[i + 1] === '"' || WORD_CHAR.test(input[i + 1]!));
    if (negated) i++;
    const named = /^([A-Za-z]+):/.exec(input.slice(i));
    const name = named?.[1]?.toLowerCase();
    if (named && name && NAMED.has(name)) {
      i += named[0].length;
      const { value, end } = readValue(input, i);
      i = end;
      const text = input.slice(start, i);
      if (value.trim() === '') throw new AppError('VALIDATION', emptyValueMessage(name, text));
      if (negated && FILTERS.has(name)) {
        throw new AppError(
          'VALIDATION',
          `"${text}" cannot be negated: ${name}: narrows the search to matching documents. Remove the "-".`,
        );
      }
      addNamed(out, name as OperatorKind, text, value, negated);
      lastWasLooseWord = false;
      continue;
    }
    if (input[i] === '"') {
      const { value, end, closed } = readQuoted(input, i);
      i = end;
      const tokens = tokenize(value);
      if (!closed) {
        // An unbalanced quote: its words stay loose (the person may be typing the phrase).
        out.words.push(...tokens);
        lastWasLooseWord = tokens.length > 0 && end === input.length && WORD_CHAR.test(input[end - 1] ?? '');
        continue;
      }
      if (tokens.length > 0) {
        if (negated) out.excluded.push(tokens);
        else out.phrases.push(tokens);
        if (!negated) out.quotedNames.push(...camelCaseNames(value));
        out.operators.push({ kind: negated ? 'exclude' : 'phrase', text: input.slice(start, i), value, negated });
      }
      lastWasLooseWord = false;
      continue;
    }
    // A plain word run: up to whitespace or a quote.
    let end = i;
    while (end < input.length && !/\s/u.test(input[end]!) && input[end] !== '"') end++;
    const piece = input.slice(i, end);
    const tokens = tokenize(piece);
    if (negated) {
      if (tokens.length > 0) {
        out.excluded.push(tokens);
        out.operators.push({ kind: 'exclude', text: input.slice(start, end), value: piece, negated: true });
      }
      lastWasLooseWord = false;
    } else {
      if (HYPHENATED_WORD.test(piece)) out.hyphenated.push({ parts: tokens, at: out.words.length });
      out.words.push(...tokens);
      // Hyphens join English words ("heat-transfer"), which texts write many ways; dots,
      // underscores and slashes join the parts of names, which are written one way, and so do the
      // hyphens of a command-line option (`--one-file-system`).
      if (tokens.length > 1 && (/[\p{L}\p{N}][_./\\:@#][\p{L}\p{N}]/u.test(piece) || /^--\p{L}/u.test(piece)))
        out.compounds.push(tokens);
      out.compounds.push(...camelCaseNames(piece));
      lastWasLooseWord = tokens.length > 0 && WORD_CHAR.test(input[end - 1] ?? '');
    }
    i = end;
  }
  out.typingLast = lastWasLooseWord && i === input.length && WORD_CHAR.test(input[input.length - 1] ?? '');
  return out;
}

function addNamed(out: QuerySyntax, kind: OperatorKind, text: string, value: string, negated: boolean): void {
  if (kind === 'title') {
    const tokens = tokenize(value);
    if (tokens.length === 0) throw new AppError('VALIDATION', emptyValueMessage('title', text));
    (negated ? out.excludedTitles : out.titles).push(tokens);
  }
  out.operators.push({ kind, text, value: value.trim(), negated });
}

function readValue(input: string, at: number): { value: string; end: number } {
  if (input[at] === '"') {
    const { value, end } = readQuoted(input, at);
    return { value, end };
  }
  let end = at;
  while (end < input.length && !/\s/u.test(input[end]!)) end++;
  return { value: input.slice(at, end), end };
}

/** The text between a quote at `at` and the next one (or the end, when unbalanced). */
function readQuoted(input: string, at: number): { value: string; end: number; closed: boolean } {
  const close = input.indexOf('"', at + 1);
  if (close < 0) return { value: input.slice(at + 1), end: input.length, closed: false };
  return { value: input.slice(at + 1, close), end: close + 1, closed: true };
}

function emptyValueMessage(name: string, text: string): string {
  const example: Record<string, string> = {
    title: 'title:report or title:"annual report"',
    type: 'type:pdf',
    in: 'in:Notes or in:"My Drive"',
    after: 'after:2025-01-01',
    before: 'before:2025-07',
  };
  return `"${text}" needs a value after the colon, for example ${example[name] ?? `${name}:value`}.`;
}

/** True when the query asks for something to be found (not only left out or filtered). */
export function hasPositiveTerms(syntax: QuerySyntax): boolean {
  return syntax.words.length > 0 || syntax.phrases.length > 0 || syntax.titles.length > 0;
}
