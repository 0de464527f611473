import type { Database } from 'better-sqlite3';
import { LibraryMemo } from './library-memo';
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
 * name in it at all. Names and index titles are remembered while the library
 * stays as it was (library-memo.ts): typing searches again at every pause.
 */
export function documentsNamed(db: Database, groups: readonly FusedGroup[], typed: string): Set<string> {
  const name = typed
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase();
  if (name === '' || name.length > MAX_NAME_CHARS || groups.length === 0) return new Set();
  const names = nameMemo.lookup(
    db,
    groups.map((g) => g.documentId),
    (missing) => readNames(db, missing, groups),
  );
  const named = new Set<string>();
  const mayBeTitled: string[] = [];
  for (const [id, { fileName, indexed }] of names) {
    if (isFileNamed(fileName, name)) named.add(id);
    else if (indexed.includes(name)) mayBeTitled.push(id);
  }
  if (mayBeTitled.length === 0) return named;
  const titled = db
    .prepare(
      `SELECT id, content_title AS contentTitle FROM imported_documents WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(mayBeTitled)) as Array<{ id: string; contentTitle: string | null }>;
  for (const r of titled) if (r.contentTitle?.toLowerCase() === name) named.add(r.id);
  return named;
}

/** A document's name and its index row's title column ("<title> <file name>"), in lower case. */
interface IndexedNames {
  fileName: string;
  indexed: string;
}

/** Names remembered per connection (library-memo.ts): ~250 bytes each, so at most ~5 MB. */
const nameMemo = new LibraryMemo<string, IndexedNames>(20_000);

/** The documents' names, the index's title read from the chunk each was found by (every chunk of a document has the same). */
function readNames(db: Database, ids: readonly string[], groups: readonly FusedGroup[]): Map<string, IndexedNames> {
  const wanted = new Set(ids);
  const bestChunks = new Map(
    groups.flatMap((g) => (g.chunks[0] && wanted.has(g.documentId) ? [[g.documentId, g.chunks[0].chunkId]] : [])),
  );
  const byId = (query: string, keys: readonly (string | number)[]) => db.prepare(query).raw().all(JSON.stringify(keys));
  const fileNames = byId(
    `SELECT id, title FROM imported_documents WHERE id IN (SELECT value FROM json_each(?))`,
    ids,
  ) as Array<[string, string]>;
  const chunks = ids.flatMap((id) => bestChunks.get(id) ?? []);
  const indexed = new Map(
    byId(`SELECT rowid, title FROM chunks_fts WHERE rowid IN (SELECT value FROM json_each(?))`, chunks) as Array<
      [number, string]
    >,
  );
  return new Map(
    fileNames.map(([id, fileName]) => [
      id,
      { fileName: fileName.toLowerCase(), indexed: (indexed.get(bestChunks.get(id) ?? -1) ?? '').toLowerCase() },
    ]),
  );
}

/** Longer than any name a person types; a pasted paragraph is not a name. */
const MAX_NAME_CHARS = 260;

/** The document's name is `name`, with or without its extension (both in lower case). */
function isFileNamed(fileName: string, name: string): boolean {
  if (fileName === name) return true;
  // "budget" for "budget.xlsx" (one extension of letters and digits, as file names have).
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && /^[a-z0-9]{1,8}$/.test(fileName.slice(dot + 1)) && fileName.slice(0, dot) === name;
}
