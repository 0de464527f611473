import type { Database } from 'better-sqlite3';
import { byScore, type FusedGroup } from './fusion';

/**
 * Documents named exactly what was typed (`named`, from documentsNamed)
 * come first, as in a file finder: "budget.xlsx", "budget" for
 * budget.xlsx, or a document's own title typed in full. BM25 alone may put
 * a page that uses the word often above the one named by it ("cat" in a
 * library of manual pages).
 *
 * The lifted documents get scores above every other group (in their own
 * order), so paging by (score, document id) stays consistent.
 */
export function exactNamesFirst(groups: readonly FusedGroup[], named: ReadonlySet<string>): FusedGroup[] {
  if (named.size === 0 || !groups.some((g) => named.has(g.documentId))) return [...groups];
  const above = Math.max(...groups.map((g) => g.score)) + 1;
  return groups.map((g) => (named.has(g.documentId) ? { ...g, score: above + g.score } : g)).sort(byScore);
}

/**
 * Which of the documents found are named exactly `typed` (see
 * exactNamesFirst); case does not matter and surrounding quotes are
 * ignored. Only the documents already found are looked at. A document's
 * own title (`content_title`) sits after its text in its row, and reading
 * it walks the text's overflow pages (75 ms for 300 documents of 1 MB
 * each), so it is read only for the documents whose best chunk's index
 * row, a row of chunk size holding "<title> <file name>", has the typed
 * name in it at all.
 */
export function documentsNamed(db: Database, groups: readonly FusedGroup[], typed: string): Set<string> {
  const name = typed
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase();
  if (name === '' || name.length > MAX_NAME_CHARS || groups.length === 0) return new Set();
  const byId = (query: string, ids: readonly (string | number)[]) => db.prepare(query).all(JSON.stringify(ids));
  const names = byId(
    `SELECT id, title FROM imported_documents WHERE id IN (SELECT value FROM json_each(?))`,
    groups.map((g) => g.documentId),
  ) as Array<{ id: string; title: string }>;
  const named = new Set(names.filter((r) => isFileNamed(r.title, name)).map((r) => r.id));
  const indexed = byId(
    `SELECT rowid AS chunkId, title FROM chunks_fts WHERE rowid IN (SELECT value FROM json_each(?))`,
    groups.flatMap((g) => (named.has(g.documentId) || !g.chunks[0] ? [] : [g.chunks[0].chunkId])),
  ) as Array<{ chunkId: number; title: string }>;
  const mayBeTitled = new Set(indexed.filter((r) => r.title.toLowerCase().includes(name)).map((r) => r.chunkId));
  const candidates = groups.filter((g) => g.chunks[0] && mayBeTitled.has(g.chunks[0].chunkId));
  const titled = byId(
    `SELECT id, content_title AS contentTitle FROM imported_documents WHERE id IN (SELECT value FROM json_each(?))`,
    candidates.map((g) => g.documentId),
  ) as Array<{ id: string; contentTitle: string | null }>;
  for (const r of titled) if (r.contentTitle?.toLowerCase() === name) named.add(r.id);
  return named;
}

/** Longer than any name a person types; a pasted paragraph is not a name. */
const MAX_NAME_CHARS = 260;

/** The document's name is `name`, with or without its extension. */
function isFileNamed(title: string, name: string): boolean {
  const lower = title.toLowerCase();
  if (lower === name) return true;
  // "budget" for "budget.xlsx" (one extension of letters and digits, as file names have).
  const dot = lower.lastIndexOf('.');
  return dot > 0 && /^[a-z0-9]{1,8}$/.test(lower.slice(dot + 1)) && lower.slice(0, dot) === name;
}
