import type { Database } from 'better-sqlite3';
import { byChunkScore } from './fusion';
import { LibraryMemo } from './library-memo';
import { endsInPageReference, hasDotLeader } from './dot-leaders';
import type { ScoredChunk } from './keyword-proximity';
import { MARKDOWN_LINK } from './markdown-marks';

/**
 * Tables of contents, indexes and link lists name the pages that answer a
 * question rather than answering it, yet they rank high: every entry is a
 * title, and titles are made of the words people search with. On the Python
 * 3.11 documentation "Python Documentation contents" was in the keyword top
 * ten of 11 of 15 everyday questions. Such chunks are recognised by their
 * link density, as boilerplate detectors recognise menus: the share of the
 * shown text (its characters other than spaces) that is a Markdown link's text. Chunks of
 * that library split cleanly: 10,765 of 15,000 HTML chunks have under a
 * tenth of their text in links and 1,585 over nine tenths, with few between.
 * A printed book's contents and index point by page number instead of by
 * link ("2.3 Simple parsing . . . . 4"): in a PDF manual the back-of-book
 * index named every function a question asked about and came before the
 * page that documents it. Their share is that of lines ending in a dot
 * leader and a page number (`pageListShare`).
 * A chunk from `NAVIGATION_SHARE` up, by either share, counts as navigation and its keyword
 * score is multiplied by the navigation weight: it still answers a search
 * for its own words when nothing else does, but no longer outranks the
 * pages it points to.
 */
export const NAVIGATION_SHARE = 0.6;

/**
 * The share of a chunk's shown characters (not spaces) that are a link's
 * text: 0 without links. A link's destination and title are not shown, so
 * they count for neither side.
 */
export function linkShare(text: string): number {
  if (!text.includes('](')) return 0;
  let linked = 0;
  let hidden = 0;
  for (const link of text.matchAll(MARKDOWN_LINK)) {
    const label = solidLength(link[1]!);
    linked += label;
    hidden += solidLength(link[0]) - label;
  }
  const shown = solidLength(text) - hidden;
  return shown <= 0 ? 0 : linked / shown;
}

/** The share of a chunk's shown characters (not spaces) on the lines of a printed contents or index: 0 without dot leaders. */
export function pageListShare(text: string): number {
  if (!hasDotLeader(text)) return 0;
  let listed = 0;
  let all = 0;
  for (const line of text.split('\n')) {
    const length = solidLength(line);
    all += length;
    if (endsInPageReference(line)) listed += length;
  }
  return all === 0 ? 0 : listed / all;
}

/** Whether a chunk names where the answers are rather than giving them: mostly links, or a printed contents or index. */
export function isNavigation(text: string): boolean {
  return linkShare(text) >= NAVIGATION_SHARE || pageListShare(text) >= NAVIGATION_SHARE;
}

/** Characters other than spaces and control characters (a loop: a regular expression costs several times more here). */
function solidLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) n++;
  return n;
}

/**
 * `hits` with navigation chunks' scores multiplied by `weight`, best first.
 * Reads the hits' chunk texts (the keyword pool: a few hundred rows by id)
 * for the chunks not judged since the library last changed (library-memo.ts).
 */
export function withNavigationDiscount(db: Database, hits: readonly ScoredChunk[], weight: number): ScoredChunk[] {
  if (weight >= 1 || hits.length < 2) return [...hits];
  const judged = navigationMemo.lookup(
    db,
    hits.map((h) => h.chunkId),
    (missing) => {
      const rows = db
        .prepare(`SELECT id, chunk_text FROM imported_doc_chunks WHERE id IN (SELECT value FROM json_each(?))`)
        .raw()
        .all(JSON.stringify(missing)) as Array<[number, string]>;
      return new Map(rows.map(([id, text]) => [id, isNavigation(text)]));
    },
  );
  if (![...judged.values()].some(Boolean)) return [...hits];
  return hits.map((h) => (judged.get(h.chunkId) ? { ...h, score: h.score * weight } : h)).sort(byChunkScore);
}

/** Whether each chunk is navigation, remembered per connection: ~40 bytes each, so at most ~4 MB. */
const navigationMemo = new LibraryMemo<number, boolean>(100_000);
