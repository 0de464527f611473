import type { Database } from 'better-sqlite3';
import { sql } from '../db/sql';
import type { Embedder } from '../embeddings/types';
import type { Logger } from '../logger';
import type { FusedChunk, FusedGroup } from './fusion';
import { displayTitle } from './display-title';
import { keywordSnippets } from './keyword-snippets';
import { markupDialect, type MarkupDialect } from './markup-dialect';
import { MeaningSnippets } from './meaning-snippets';
import { bestSentenceByWords, MAX_SNIPPET_CHARS, plainSnippet, splitSentences } from './sentence-snippets';
import { asCodeBlock, chunkSourceText, displayText } from './snippet-text';
import { toSegments } from './snippet-segments';
import type { SearchGroup, SearchHitDocument, SnippetSegment } from './types';

/** A document row as the page query reads it, before its title is chosen. */
type DocRow = Omit<SearchHitDocument, 'fileName' | 'pageUnit'> & {
  contentTitle: string | null;
  pageUnit: string | null;
  /** What the parser made of it (`metadata.parse.format`): `code` for source files and JSON. */
  format: string | null;
  /** 1 for an image of one frame read by OCR (ONE_PICTURE). */
  onePicture: number | null;
};

interface ChunkRow {
  id: number;
  text: string;
  headingPath: string;
  page: number | null;
  /** The code fence the chunk begins inside, if any (ingest's chunking/open-fences.ts). */
  openFence: string | null;
}

/** What a page of results needs from the database, read inside the search's snapshot. */
export interface PageRows {
  docs: Map<string, DocRow>;
  chunks: Map<number, ChunkRow>;
  keywordSnips: Map<number, SnippetSegment[]>;
}

export interface ResultOptions {
  /** Chunks listed per document. */
  maxChunksPerGroup: number;
  /** How a snippet is chosen for a chunk found by meaning only. */
  sentenceSnippets: 'embedding' | 'lexical';
}

/**
 * Turns a page of ranked groups into the response's groups: documents,
 * their best chunks and a snippet for each (keyword-highlighted when the
 * chunk matched words, else its sentence closest to the query).
 */
export class ResultBuilder {
  /** Sentences closest in meaning for semantic-only chunks, never waited for (see meaning-snippets.ts). */
  readonly meaningSnippets: MeaningSnippets;

  constructor(
    private readonly db: Database,
    logger: Logger,
    private readonly options: ResultOptions,
  ) {
    this.meaningSnippets = new MeaningSnippets(logger);
  }

  /** Reads the page's documents, chunks and keyword snippets (call inside the read transaction). */
  read(page: readonly FusedGroup[], highlight: string | null): PageRows {
    const shownChunks = page.flatMap((g) => g.chunks.slice(0, this.options.maxChunksPerGroup));
    const docQ = sql`SELECT d.id, d.title, d.content_title AS contentTitle,
        json_extract(d.metadata, '$.parse.pageUnit') AS pageUnit, json_extract(d.metadata, '$.parse.format') AS format,
        ${sql.raw(ONE_PICTURE)} AS onePicture, d.connector_id AS connectorId, cc.type AS connectorType, d.mime_type AS mimeType,
        d.source_url AS sourceUrl, COALESCE(d.source_modified_at, d.updated_at) AS modifiedAt
      FROM imported_documents d JOIN connector_configs cc ON cc.id = d.connector_id
      WHERE d.id IN ${sql.list(page.flatMap((g) => [g.documentId, ...(g.copies ?? [])]))}`;
    const docs = new Map((this.db.prepare(docQ.text).all(...docQ.params) as DocRow[]).map((d) => [d.id, d]));
    const chunkQ = sql`SELECT id, chunk_text AS text, heading_path AS headingPath, page,
        json_extract(metadata, '$.openFence') AS openFence
      FROM imported_doc_chunks WHERE id IN ${sql.list(shownChunks.map((c) => c.chunkId))}`;
    const chunks = new Map((this.db.prepare(chunkQ.text).all(...chunkQ.params) as ChunkRow[]).map((c) => [c.id, c]));
    const keywordSources = shownChunks.flatMap((c) => {
      const chunk = c.keywordRank !== undefined ? chunks.get(c.chunkId) : undefined;
      const doc = docs.get(c.documentId);
      return chunk ? [{ id: chunk.id, text: snippetSource(chunk, doc), dialect: dialectOf(doc) }] : [];
    });
    const keywordSnips =
      highlight !== null ? keywordSnippets(this.db, highlight, keywordSources) : new Map<number, SnippetSegment[]>();
    return { docs, chunks, keywordSnips };
  }

  /** The response's groups; semantic-only chunks get the sentence closest to `vector` when an embedder is given. */
  async groups(
    page: readonly FusedGroup[],
    rows: PageRows,
    words: readonly string[],
    vector: Float32Array | undefined,
    embedder: Embedder | null,
  ): Promise<SearchGroup[]> {
    const needSentence: Array<{ chunk: FusedChunk; sentences: string[] }> = [];
    const snippets = new Map<number, SnippetSegment[]>();
    const openings = new Map<number, SnippetSegment[]>();
    for (const group of page) {
      for (const chunk of group.chunks.slice(0, this.options.maxChunksPerGroup)) {
        const keyword = rows.keywordSnips.get(chunk.chunkId);
        if (keyword) {
          snippets.set(chunk.chunkId, keyword);
          continue;
        }
        const row = rows.chunks.get(chunk.chunkId);
        const doc = rows.docs.get(chunk.documentId);
        if (doc?.format === 'code' && chunk.keywordRank !== undefined) {
          // Found through its path or file name alone: a line of code picked by its words says
          // nothing. The file's chunks that hold the words are shown instead, or else its opening lines.
          snippets.set(chunk.chunkId, []);
          if (row) openings.set(chunk.chunkId, codeOpening(row.text));
          continue;
        }
        const sentences = splitSentences(row ? snippetSource(row, doc) : '', dialectOf(doc));
        needSentence.push({ chunk, sentences });
        snippets.set(chunk.chunkId, plainSnippet(bestSentenceByWords(sentences, words) ?? ''));
      }
    }
    if (vector && embedder && this.options.sentenceSnippets === 'embedding') {
      const byMeaning = needSentence.filter((n) => n.chunk.keywordRank === undefined);
      await this.meaningSnippets.improve(
        byMeaning.map((n) => ({ chunkId: n.chunk.chunkId, sentences: n.sentences })),
        vector,
        embedder,
        snippets,
      );
    }

    const out: SearchGroup[] = [];
    for (const group of page) {
      const doc = rows.docs.get(group.documentId);
      if (!doc) continue; // deleted between the read and now: cannot happen inside the snapshot, kept for safety
      const copies = (group.copies ?? []).flatMap((id) => {
        const copy = rows.docs.get(id);
        return copy ? [hitDocument(copy)] : [];
      });
      out.push({
        document: hitDocument(doc),
        ...(copies.length > 0 ? { copies } : {}),
        score: group.score,
        chunks: withSomethingToShow(group.chunks.slice(0, this.options.maxChunksPerGroup), snippets).map((c) => {
          const row = rows.chunks.get(c.chunkId);
          const snippet = snippets.get(c.chunkId) ?? [];
          return {
            chunkId: c.chunkId,
            headingPath: parseHeadingPath(row?.headingPath),
            page: shownPage(row?.page, doc.onePicture),
            snippet: snippet.length > 0 ? snippet : (openings.get(c.chunkId) ?? []),
            score: c.score,
          };
        }),
      });
    }
    return out;
  }
}

/**
 * The chunks whose snippet shows some text; the first one when none does. A
 * chunk can match only through markup that is not shown (an include
 * directive's path, a link's address): an empty line under the heading
 * path tells the reader nothing.
 */
function withSomethingToShow<T extends { chunkId: number }>(
  chunks: readonly T[],
  snippets: ReadonlyMap<number, SnippetSegment[]>,
): T[] {
  const shown = chunks.filter((c) => snippets.get(c.chunkId)?.some((s) => s.text.trim() !== ''));
  return shown.length > 0 ? shown : chunks.slice(0, 1);
}

/** A source chunk's first lines, as code, up to a snippet's length. */
function codeOpening(text: string): SnippetSegment[] {
  const head = text.slice(0, MAX_SNIPPET_CHARS);
  const lastLineEnd = head.lastIndexOf('\n');
  const lines = text.length > MAX_SNIPPET_CHARS && lastLineEnd > 0 ? `${head.slice(0, lastLineEnd)}\n…` : head;
  return toSegments(displayText(asCodeBlock(lines)));
}

function hitDocument(row: DocRow): SearchHitDocument {
  const { contentTitle, pageUnit, format: _format, onePicture: _onePicture, ...doc } = row;
  return {
    ...doc,
    ...displayTitle({ title: row.title, contentTitle, connectorType: row.connectorType }),
    pageUnit: pageUnit === 'slide' ? 'slide' : 'page',
  };
}

/** Whether document `d` is an image of one frame read by OCR: ocr/ocr-state.ts `isOnePicture`, in SQL. */
export const ONE_PICTURE = `(json_extract(d.metadata, '$.ocr.source') = 'image'
  AND json_array_length(d.metadata, '$.ocr.pages') = 1)`;

/**
 * The page to show for a chunk: none for the text of one picture. OCR
 * stores an image as a page so that its text merges like a scan's, but to
 * a person a picture has no "page 1".
 */
export function shownPage(page: number | null | undefined, onePicture: number | null): number | null {
  return onePicture ? null : (page ?? null);
}

/** A stored heading path (JSON array), or [] when it is missing or malformed. */
export function parseHeadingPath(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function dialectOf(doc: DocRow | undefined): MarkupDialect | undefined {
  return markupDialect(doc?.format, doc?.title);
}

/**
 * A chunk's text for its snippet: a source file's as the code it is, others
 * without the opening headings the result shows above it anyway.
 */
function snippetSource(chunk: ChunkRow, doc: DocRow | undefined): string {
  const shownHeadings = [doc?.title ?? '', doc?.contentTitle ?? '', ...parseHeadingPath(chunk.headingPath)];
  return chunkSourceText(chunk, { format: doc?.format, shownHeadings });
}
