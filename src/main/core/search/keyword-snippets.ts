import type { Database, Statement } from 'better-sqlite3';
import { withNameWordsApart, WORD_BREAK } from '../db/identifier-terms';
import { scratchBeside } from '../db/scratch-connection';
import { cjkWordsOf, markWords, windowAroundWords } from './cjk-highlights';
import { shownText } from './shown-text-cache';
import { CODE_CLOSE, CODE_OPEN, insideCode, MATCH_CLOSE, MATCH_OPEN, toSegments } from './snippet-segments';
import type { MarkupDialect } from './markup-dialect';
import type { SnippetSegment } from './types';

/**
 * Keyword-highlighted snippets for the chunks a result page shows.
 *
 * FTS5's snippet() needs the row positioned by a MATCH, and on the main
 * index `MATCH ? AND rowid = ?` seeks every query term's whole posting list:
 * with a frequent word on a million-chunk library that was ~1.5 ms per
 * chunk, 60 ms a page. The page's few chunks are instead copied into a
 * private in-memory FTS5 table with the same tokenizer (so the same stems
 * match) and highlighted there. What is copied is the text as shown
 * (snippet-text.ts: markup stripped, code marked), so the highlighter picks
 * its window from what the person will read.
 */

/** Must equal chunks_fts's tokenizer (migration 001), or highlights would not match what was found. */
export const CHUNKS_FTS_TOKENIZER = 'porter unicode61 remove_diacritics 2';

export interface SnippetSource {
  id: number;
  text: string;
  /** The markup its document is written in, when known (markup-dialect.ts). */
  dialect?: MarkupDialect;
}

/**
 * Snippets for these chunks, keyed by chunk id. Chunks whose text holds no
 * match (e.g. only the title matched) are left out, so the caller can pick
 * another snippet. `match` must come from `toMatchExpression`.
 */
export function keywordSnippets(
  db: Database,
  match: string,
  chunks: readonly SnippetSource[],
  tokens = 40,
): Map<number, SnippetSegment[]> {
  const out = new Map<number, SnippetSegment[]>();
  if (chunks.length === 0) return out;
  const { highlight } = statementsFor(db);
  const shown = new Map(chunks.map((chunk) => [chunk.id, shownText(chunk.text, chunk.dialect)]));
  fillPage(db, shown);
  // Private-use characters as highlight markers: they cannot be confused with
  // markup, and the output is split into segments rather than rendered as HTML.
  const rows = highlight.all({ open: MATCH_OPEN, close: MATCH_CLOSE, tokens, match }) as PageRow[];
  const cjkWords = cjkWordsOf(match);
  for (const row of rows) {
    const { id } = row;
    const text = shown.get(id) ?? '';
    const marked = wholeCodeLines(text, moreMarked(row));
    const window = opensInCode(text, marked) ? withCodeOpened(marked) : marked;
    const segments = toSegments(markWords(window, cjkWords));
    if (segments.some((s) => s.match)) out.set(id, segments);
  }
  // A Chinese, Japanese or Korean word inside a clause, which FTS5's highlighter cannot cut out (cjk-highlights.ts).
  for (const [id, text] of cjkWords.length > 0 ? shown : []) {
    const window = out.has(id) ? null : windowAroundWords(text, cjkWords);
    if (window) out.set(id, toSegments(window));
  }
  return out;
}

/** Characters of a snippet's start looked up in its chunk's text: enough to place it, few enough to stay in one code span. */
const PROBE_CHARS = 40;

/**
 * Whether the snippet's window starts inside a code span of the shown text.
 * The window of a long code block holds neither of its code markers, and
 * would read as prose; its start is found in the text and the markers
 * before it counted.
 */
function opensInCode(text: string, marked: string): boolean {
  const probe = leadingProbe(unmarked(marked.replace(/^…/, '')));
  if (probe.trim() === '') return false;
  const at = text.indexOf(probe);
  return at >= 0 && insideCode(text, at);
}

/** Most characters a window in code is widened by at either end to show whole lines. */
const LINE_REST = 160;

/**
 * A window whose ends fall inside code, widened to whole lines. FTS5 cuts
 * at tokens, and a block of code opening on "41] * RATE" or a line's last
 * half reads as noise. Each end is placed by its text, only where that is
 * found once (repetitive code would otherwise borrow another line's start),
 * and never widened across a marker or by more than LINE_REST.
 */
function wholeCodeLines(text: string, marked: string): string {
  const opened = marked.startsWith('…');
  const closed = marked.endsWith('…') && marked.length > 1;
  const body = marked.slice(opened ? 1 : 0, closed ? -1 : undefined);
  const plain = unmarked(body);
  let before = '';
  let after = '';
  if (opened) {
    const start = uniqueAt(text, leadingProbe(plain));
    if (start > 0 && insideCode(text, start)) {
      const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf(CODE_OPEN, start - 1)) + 1;
      const line = text.slice(lineStart, start);
      // The space displayText pads a code marker with is not part of the line.
      before = text[lineStart - 1] === CODE_OPEN ? line.replace(/^ /, '') : line;
    }
  }
  if (closed) {
    const tail = plain.slice(-PROBE_CHARS).split(CODE_MARKERS).at(-1) ?? '';
    const at = uniqueAt(text, tail);
    const end = at < 0 ? -1 : at + tail.length;
    if (end > 0 && insideCode(text, end)) {
      const stops = [text.indexOf('\n', end), text.indexOf(CODE_CLOSE, end)].filter((i) => i >= 0);
      after = text.slice(end, stops.length > 0 ? Math.min(...stops) : text.length).trimEnd();
    }
  }
  const fits = (piece: string): boolean => piece.length <= LINE_REST && !/[\uE000-\uE004]/.test(piece);
  return `${opened ? '…' : ''}${fits(before) ? before : ''}${body}${fits(after) ? after : ''}${closed ? '…' : ''}`;
}

const CODE_MARKERS = /[\uE002\uE003]/;

/** A window's text without its highlight markers, as it stands in the shown text. */
function unmarked(window: string): string {
  return window.replaceAll(MATCH_OPEN, '').replaceAll(MATCH_CLOSE, '');
}

/** The first PROBE_CHARS of a window's text, up to a code marker: what finds the window's start in the text. */
function leadingProbe(plain: string): string {
  return plain.slice(0, PROBE_CHARS).split(CODE_MARKERS)[0] ?? '';
}

/** Where `probe` is in `text` if it is there exactly once, else -1. */
function uniqueAt(text: string, probe: string): number {
  if (probe.trim() === '') return -1;
  const at = text.indexOf(probe);
  return at >= 0 && text.indexOf(probe, at + 1) < 0 ? at : -1;
}

/** The snippet with a code marker after its leading ellipsis. */
function withCodeOpened(marked: string): string {
  return marked.startsWith('…') ? `…${CODE_OPEN}${marked.slice(1)}` : `${CODE_OPEN}${marked}`;
}

/**
 * The whole displayed text of each chunk as segments, with every match of
 * `match` highlighted (FTS5's highlight(), same tokenizer as the index), for
 * the preview pane. `match` null or a chunk without a match: no highlights.
 */
export function highlightWhole(
  db: Database,
  match: string | null,
  chunks: readonly SnippetSource[],
): Map<number, SnippetSegment[]> {
  const cjkWords = cjkWordsOf(match);
  const shown = new Map(chunks.map((c) => [c.id, shownText(c.text, c.dialect)]));
  const segmentsOf = (marked: string): SnippetSegment[] => toSegments(markWords(marked, cjkWords), { keepLines: true });
  const out = new Map([...shown].map(([id, text]) => [id, segmentsOf(text)]));
  if (match === null || chunks.length === 0) return out;
  fillPage(db, shown);
  const { whole } = statementsFor(db);
  for (const row of whole.all({ open: MATCH_OPEN, close: MATCH_CLOSE, match }) as PageRow[])
    out.set(row.id, segmentsOf(moreMarked(row)));
  return out;
}

/** Code spans of shown text (snippet-text.ts marks them), up to their end or the text's. */
const CODE_SPAN = new RegExp(`${CODE_OPEN}[^${CODE_CLOSE}]*(?:${CODE_CLOSE}|$)`, 'g');

/**
 * Copies the page's shown texts into the page table: each as it is, and,
 * when it has code naming something in camelCase, again with each such
 * name's words apart. Code is found by those words too
 * (db/identifier-terms.ts), and a name typed whole by the phrase of them
 * (query-syntax.ts); the second copy marks the words where they stand in
 * the name, while a name typed in lower case still matches the first.
 */
function fillPage(db: Database, shown: ReadonlyMap<number, string>): void {
  const { clearRows, clearIndex, insertRow, insert } = statementsFor(db);
  // eslint-disable-next-line no-restricted-syntax -- the scratch connection's tables, never the library
  scratchBeside(db).transaction(() => {
    clearIndex.run();
    clearRows.run();
    for (const [id, text] of shown) {
      const written = text.replace(CODE_SPAN, withNameWordsApart);
      const apart = written === text ? '' : written;
      insertRow.run(id, text, apart);
      insert.run(id, text, apart);
    }
  })();
}

/** A page row highlighted in both copies. */
interface PageRow {
  id: number;
  marked: string;
  apart: string;
}

/** The copy of a page row with more words marked, as shown (without the breaks put between a name's words). */
function moreMarked(row: PageRow): string {
  const marks = (text: string): number => text.split(MATCH_OPEN).length - 1;
  return marks(row.apart) > marks(row.marked) ? row.apart.replaceAll(WORD_BREAK, '') : row.marked;
}

type SnippetStatements = Record<'clearRows' | 'clearIndex' | 'insertRow' | 'insert' | 'highlight' | 'whole', Statement>;
const prepared = new WeakMap<Database, SnippetStatements>();

/** The page table and its statements, created once per connection (a search runs them on every page). */
function statementsFor(db: Database): SnippetStatements {
  let statements = prepared.get(db);
  if (statements) return statements;
  // On the scratch connection beside the library's (db/scratch-connection.ts), never in the library file. The
  // texts are kept in a plain table the index reads them from (external content): FTS5 then empties its index
  // with 'delete-all', where a DELETE from a table holding its own content tokenises every old row again to
  // find what to remove (1.1 of 3.4 ms for a page of 30 chunks of Python's documentation; 0.1 this way).
  const scratch = scratchBeside(db);
  scratch.exec(`CREATE TABLE IF NOT EXISTS page_text_rows(rowid INTEGER PRIMARY KEY, chunk_text TEXT, apart TEXT);
    CREATE VIRTUAL TABLE IF NOT EXISTS page_texts USING fts5(chunk_text, apart,
      content = 'page_text_rows', tokenize = '${CHUNKS_FTS_TOKENIZER}')`);
  // Both copies highlighted in one pass: `moreMarked` picks between them.
  const both = (marked: (column: number) => string): Statement =>
    scratch.prepare(`SELECT rowid AS id, ${marked(0)} AS marked, ${marked(1)} AS apart
      FROM page_texts WHERE page_texts MATCH @match`);
  statements = {
    clearRows: scratch.prepare('DELETE FROM page_text_rows'),
    clearIndex: scratch.prepare(`INSERT INTO page_texts(page_texts) VALUES ('delete-all')`),
    insertRow: scratch.prepare('INSERT INTO page_text_rows(rowid, chunk_text, apart) VALUES (?, ?, ?)'),
    insert: scratch.prepare('INSERT INTO page_texts(rowid, chunk_text, apart) VALUES (?, ?, ?)'),
    highlight: both((column) => `snippet(page_texts, ${column}, @open, @close, '…', @tokens)`),
    whole: both((column) => `highlight(page_texts, ${column}, @open, @close)`),
  };
  prepared.set(db, statements);
  return statements;
}
