import type { Database } from 'better-sqlite3';
import { byScore, type FusedGroup } from './fusion';

/**
 * Documents named exactly what was typed (`named`, from documentsNamed) come first, as in a file finder:
 * "budget.xlsx", "budget" for budget.xlsx, or a document's own title typed
 * in full. BM25 alone may put a page that uses the word often above the
 * one named by it ("cat" in a library of manual pages). Case does not
 * matter; surrounding quotes are ignored. Only the documents already found
 * are looked at, so the cost is one lookup of their names.
 *
 * The lifted documents get scores above every other group (in their own
 * order), so paging by (score, document id) stays consistent.
 */
export function exactNamesFirst(groups: readonly FusedGroup[], named: ReadonlySet<string>): FusedGroup[] {
  if (named.size === 0 || !groups.some((g) => named.has(g.documentId))) return [...groups];
  const above = Math.max(...groups.map((g) => g.score)) + 1;
  return groups.map((g) => (named.has(g.documentId) ? { ...g, score: above + g.score } : g)).sort(byScore);
}

/** Which of these documents are named exactly `typed` (see exactNamesFirst). */
export function documentsNamed(db: Database, documentIds: readonly string[], typed: string): Set<string> {
  const name = typed
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase();
  if (name === '' || name.length > MAX_NAME_CHARS || documentIds.length === 0) return new Set();
  const rows = db
    .prepare(
      `SELECT id, title, content_title AS contentTitle FROM imported_documents
       WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(documentIds)) as Array<{ id: string; title: string; contentTitle: string | null }>;
  return new Set(rows.filter((r) => isNamed(r.title, r.contentTitle, name)).map((r) => r.id));
}

/** Longer than any name a person types; a pasted paragraph is not a name. */
const MAX_NAME_CHARS = 260;

function isNamed(title: string, contentTitle: string | null, name: string): boolean {
  const lower = title.toLowerCase();
  if (lower === name || contentTitle?.toLowerCase() === name) return true;
  // "budget" for "budget.xlsx" (one extension of letters and digits, as file names have).
  const dot = lower.lastIndexOf('.');
  return dot > 0 && /^[a-z0-9]{1,8}$/.test(lower.slice(dot + 1)) && lower.slice(0, dot) === name;
}
