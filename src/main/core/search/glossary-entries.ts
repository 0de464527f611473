import type { Database } from 'better-sqlite3';
import { escapeRegExp } from '../../../shared/escape-regexp';
import { GROUPS_READ, pooledChunks } from './chunks-naming';
import { isStopword, quote } from './fts-query';
import { chunkIdsOf, type FusedGroup } from './fusion';

/**
 * A question asking what something is ("what is the index", "what are
 * decorators", "define rebase") asks for its definition: a glossary's
 * entry for the term comes first among the documents found. BM25 puts
 * first the pages that use the word most: on Git's documentation "what is
 * the index" had put git-update-index first; on Python's, "what is a
 * generator" put the General Python FAQ first and did not find the
 * Glossary at all.
 */
export interface TermAsked {
  /** The term as asked, lower case, and its singular when asked in the plural ("decorators", "decorator"). */
  spellings: string[];
}

/** Words a term may have: a definition is asked of a name, not of a sentence. */
const MAX_TERM_WORDS = 3;

const QUESTION =
  /^(?:what(?:'s|\u2019s|\s+is|\s+are)|define|definition\s+of|meaning\s+of)\s+(?:(?:an?|the)\s+)?(.+?)\s*[?.!]?$/u;

/** The term a definition question asks about, or null for any other query. */
export function termAsked(typed: string): TermAsked | null {
  const question = QUESTION.exec(typed.trim().toLowerCase().replace(/\s+/gu, ' '));
  const term = question?.[1];
  if (!term) return null;
  const words = term.split(' ');
  if (words.length > MAX_TERM_WORDS || !words.every((word) => /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u.test(word)))
    return null;
  // "what is a" (a question still being typed) asks about no term: "a" is in every chunk.
  if (words.every(isStopword)) return null;
  const spellings = [term];
  // The plural asked, the singular defined: "branches" as "branch", "decorators" as "decorator".
  if (/(?:ch|sh|x|ss)es$/u.test(term)) spellings.push(term.slice(0, -2));
  else if (/[^s]s$/u.test(term) && term.length > 3) spellings.push(term.slice(0, -1));
  return { spellings };
}

/**
 * Chunks pooled for the term alone (the question's pool is 300): a glossary
 * names a term once or twice, and the pages about it fill a smaller pool. On
 * Python's documentation 655 chunks hold "context manager", and the Glossary
 * was not among the 300 best.
 */
export const TERM_POOL = 1000;

/**
 * The documents found for a definition question (`found`), with those that
 * define its term in a glossary's way (`defining`, to come first). The
 * question's own words may leave a glossary out of the documents found: its
 * function words favour the chunks that hold most of "what", "is" and "a",
 * and "what is a generator" did not find Python's Glossary among the first
 * fifty. So the term alone is searched too (`searchTerm`, with the
 * question's filters), and a document it finds that defines the term joins
 * the documents found, scored below them until it is lifted. `searchTerm`
 * pools TERM_POOL chunks.
 */
export function withDefinitions(
  db: Database,
  found: readonly FusedGroup[],
  typed: string,
  searchTerm: (match: string) => FusedGroup[],
): { found: readonly FusedGroup[]; defining: Set<string> } {
  const term = termAsked(typed);
  if (!term) return { found, defining: new Set() };
  const seen = new Set(found.map((g) => g.documentId));
  // The whole of the term's pool (TERM_POOL chunks): on Python's documentation the Glossary is the 61st
  // document for "generator", below the pages that use the word most.
  const byTerm = searchTerm(quote(term.spellings[0]!));
  // The chunks both searches pooled, from the question's best documents and all the term's: an entry holds
  // its term, so the term's pool has it. Reading every chunk of those documents that holds the term had
  // taken "what is python" from 27 to 107 ms on Python's documentation.
  const pooled = chunkIdsOf([...found.slice(0, GROUPS_READ), ...byTerm]);
  const defining = documentsDefiningTerm(db, [...new Set(pooled)], term);
  const joining = byTerm.filter((g) => !seen.has(g.documentId) && defining.has(g.documentId));
  if (joining.length === 0) return { found, defining };
  const lowest = Math.min(...found.map((g) => g.score), joining[0]!.score);
  const below = joining.map((g, i) => ({ ...g, score: (lowest * (joining.length - i)) / (joining.length + 1) }));
  return { found: [...found, ...below], defining };
}

/**
 * The documents of `chunks` (pooled by the searches) that define the term
 * in a glossary's way in one of them.
 */
function documentsDefiningTerm(db: Database, chunks: readonly number[], term: TermAsked): Set<string> {
  const written = writtenForms(term.spellings);
  const entry = glossaryEntryPattern(written);
  return new Set(
    pooledChunks(db, chunks, { names: written })
      .filter((r) => r.structure !== 'code' && entry.test(`\n\n${r.text}`))
      .map((r) => r.documentId),
  );
}

/**
 * A glossary's entry for the term, as the formats write one:
 *
 *     index                                   (a paragraph of its own, the definition the next one:
 *                                              HTML's definition lists, read as Markdown)
 *     A collection of files with stat…
 *
 *     [[def_index]]index::                    (AsciiDoc: the definition on the lines under it)
 *     	A collection of files…
 *
 *     **Index**: a collection of files…       (Markdown: the term in bold, in a list item or not)
 *
 * The term line must open a paragraph: a line of prose wrapped so that one
 * word is left on it is no entry. A heading (`## Index`) is about the term,
 * not its definition, and a list of one word items defines nothing, as the
 * definition must start as a sentence does or sit indented under the term.
 */
export function glossaryEntryPattern(written: readonly string[]): RegExp {
  const term = `(?:${written.map(escapeRegExp).join('|')})`;
  const anchor = '(?:\\[\\[[^\\]\\n]*\\]\\])?';
  const alone = `[ \\t]*${anchor}[\`*_]*${term}[\`*_]*(?:::?)?[ \\t]*\\n(?:[ \\t]+\\S|[ \\t]*\\n[ \\t]*[\\p{Lu}\\p{N}"'\\u201c(])`;
  const bold = `[ \\t]*(?:[-*+][ \\t]+)?(?:\\*\\*|__)${term}(?:\\*\\*|__)[ \\t]*(?:[:\\u2014\\u2013]|[ \\t]-)[ \\t]*\\S`;
  return new RegExp(`\\n[ \\t]*\\n(?:${alone}|${bold})`, 'u');
}

/**
 * The ways a glossary writes a term asked in lower case: as asked,
 * capitalised, in capitals ("index", "Index", "INDEX"). Matched as written,
 * not case-blind: the definition after it must start as a sentence does.
 */
export function writtenForms(spellings: readonly string[]): string[] {
  const capitalised = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
  return [...new Set(spellings.flatMap((s) => [s, capitalised(s), s.toUpperCase()]))];
}
