import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { labelHeadings } from '../../../shared/heading-label';
import { highlightWhole } from './keyword-snippets';
import { chunkSourceText } from './snippet-text';
import { markupDialect } from './markup-dialect';
import { ONE_PICTURE, parseHeadingPath, shownPage } from './result-builder';
import type { SnippetSegment } from './types';

export interface ContextRequest {
  chunkId: number;
  /** Chunks shown on each side of it. */
  around: number;
  /** FTS5 expression of the words to highlight (keyword plan's `highlight`), or null. */
  highlight: string | null;
}

export interface ContextResult {
  documentId: string;
  chunks: Array<{
    chunkId: number;
    headingPath: string[];
    page: number | null;
    segments: SnippetSegment[];
    current: boolean;
  }>;
  moreBefore: boolean;
  moreAfter: boolean;
}

interface Row {
  id: number;
  documentId: string;
  chunkIndex: number;
  text: string;
  headingPath: string;
  page: number | null;
  openFence: string | null;
  charStart: number;
  charEnd: number;
}

/**
 * A chunk with its neighbours in reading order (chunk_index), as the
 * preview pane shows it: displayed text (markup removed, code marked), the
 * query's words highlighted, each chunk's heading path and page. A chunk of
 * a deleted document, or one that no longer exists, is NOT_FOUND (results
 * can be older than the last sync).
 */
export function chunkContext(db: Database, request: ContextRequest): ContextResult {
  const anchor = db
    .prepare(
      `SELECT c.imported_document_id AS documentId, c.chunk_index AS chunkIndex,
         json_extract(d.metadata, '$.parse.format') AS format, d.title, d.content_title AS contentTitle,
         ${ONE_PICTURE} AS onePicture
       FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id
       WHERE c.id = ? AND d.sync_status != 'deleted'`,
    )
    .get(request.chunkId) as
    | {
        documentId: string;
        chunkIndex: number;
        format: string | null;
        title: string;
        contentTitle: string | null;
        onePicture: number | null;
      }
    | undefined;
  if (!anchor) {
    throw new AppError('NOT_FOUND', 'This passage is no longer in the index: the document changed. Search again.');
  }
  const rows = db
    .prepare(
      `SELECT id, imported_document_id AS documentId, chunk_index AS chunkIndex, chunk_text AS text,
         heading_path AS headingPath, page, json_extract(metadata, '$.openFence') AS openFence,
         char_start AS charStart, char_end AS charEnd
       FROM imported_doc_chunks WHERE imported_document_id = ? AND chunk_index BETWEEN ? AND ?
       ORDER BY chunk_index`,
    )
    .all(anchor.documentId, anchor.chunkIndex - request.around - 1, anchor.chunkIndex + request.around + 1) as Row[];
  // One extra row on each side, read only to know whether there is more.
  const shown = withoutRepeats(
    rows.filter((r) => Math.abs(r.chunkIndex - anchor.chunkIndex) <= request.around),
    anchor.chunkIndex,
  );
  // Read as a result's snippets are (chunkSourceText), without the headings of the label above the passage; a
  // document opening with its title keeps it (the label leaves the title to the header), matches highlighted.
  const dialect = markupDialect(anchor.format, anchor.title);
  const texts = shown.map((r) => ({
    id: r.id,
    text: chunkSourceText(r, {
      format: anchor.format,
      shownHeadings: labelHeadings(parseHeadingPath(r.headingPath), [anchor.title, anchor.contentTitle ?? '']),
    }),
    dialect,
  }));
  const segments = highlightWhole(db, request.highlight, texts);
  return {
    documentId: anchor.documentId,
    chunks: shown.map((r) => ({
      chunkId: r.id,
      headingPath: parseHeadingPath(r.headingPath),
      page: shownPage(r.page, anchor.onePicture),
      segments: segments.get(r.id) ?? [],
      current: r.id === request.chunkId,
    })),
    moreBefore: rows.some((r) => r.chunkIndex < anchor.chunkIndex - request.around),
    moreAfter: rows.some((r) => r.chunkIndex > anchor.chunkIndex + request.around),
  };
}

/**
 * Consecutive prose chunks of a section overlap: the chunker repeats the
 * end of one at the start of the next, so that a passage found on its own
 * keeps its context. Read one after another in the preview, that text
 * showed twice. The found chunk is shown whole, and each neighbour leaves
 * out what the passage beside it, nearer the found one, shows: a chunk
 * after it starts where the one before ends, a chunk before it ends where
 * the next one starts. Only a chunk whose text is its span of the document
 * is cut, and never one that begins inside a code block.
 */
function withoutRepeats(rows: readonly Row[], foundIndex: number): Row[] {
  return rows.map((row, i) => {
    if (row.openFence !== null || row.text.length !== row.charEnd - row.charStart) return row;
    const before = rows[i - 1];
    const after = rows[i + 1];
    if (row.chunkIndex > foundIndex && before?.chunkIndex === row.chunkIndex - 1) {
      const repeated = before.charEnd - row.charStart;
      if (repeated > 0 && repeated < row.text.length) return { ...row, text: row.text.slice(repeated) };
    }
    if (row.chunkIndex < foundIndex && after?.chunkIndex === row.chunkIndex + 1) {
      const kept = after.charStart - row.charStart;
      if (kept > 0 && kept < row.text.length) return { ...row, text: row.text.slice(0, kept) };
    }
    return row;
  });
}
