import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { sql } from '../db/sql';
import type { Embedder } from '../embeddings/types';
import type { Logger } from '../logger';
import type { FusedChunk, FusedGroup } from './fusion';
import { keywordSnippets } from './keyword-snippets';
import { bestSentenceByWords, clip, dot, plainSnippet, splitSentences } from './sentence-snippets';
import type { SearchGroup, SearchHitDocument, SnippetSegment } from './types';

/** Sentences embedded per page for semantic-only snippets: bounds the model work a page costs. */
const MAX_SNIPPET_SENTENCES = 48;
const SENTENCES_PER_CHUNK = 8;

/** A document row as the page query reads it: the response's document. */
type DocRow = SearchHitDocument;

interface ChunkRow {
  id: number;
  text: string;
  headingPath: string;
  page: number | null;
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
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: ResultOptions,
  ) {}

  /** Reads the page's documents, chunks and keyword snippets (call inside the read transaction). */
  read(page: readonly FusedGroup[], highlight: string | null): PageRows {
    const shownChunks = page.flatMap((g) => g.chunks.slice(0, this.options.maxChunksPerGroup));
    const docQ = sql`SELECT d.id, d.title, d.connector_id AS connectorId, cc.type AS connectorType, d.mime_type AS mimeType,
        d.source_url AS sourceUrl, COALESCE(d.source_modified_at, d.updated_at) AS modifiedAt
      FROM imported_documents d JOIN connector_configs cc ON cc.id = d.connector_id
      WHERE d.id IN ${sql.list(page.map((g) => g.documentId))}`;
    const docs = new Map((this.db.prepare(docQ.text).all(...docQ.params) as DocRow[]).map((d) => [d.id, d]));
    const chunkQ = sql`SELECT id, chunk_text AS text, heading_path AS headingPath, page
      FROM imported_doc_chunks WHERE id IN ${sql.list(shownChunks.map((c) => c.chunkId))}`;
    const chunks = new Map((this.db.prepare(chunkQ.text).all(...chunkQ.params) as ChunkRow[]).map((c) => [c.id, c]));
    const keywordSources = shownChunks.flatMap((c) => {
      const chunk = c.keywordRank !== undefined ? chunks.get(c.chunkId) : undefined;
      return chunk ? [{ id: chunk.id, text: chunk.text }] : [];
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
    for (const group of page) {
      for (const chunk of group.chunks.slice(0, this.options.maxChunksPerGroup)) {
        const keyword = rows.keywordSnips.get(chunk.chunkId);
        if (keyword) {
          snippets.set(chunk.chunkId, keyword);
          continue;
        }
        const sentences = splitSentences(rows.chunks.get(chunk.chunkId)?.text ?? '');
        needSentence.push({ chunk, sentences });
        snippets.set(chunk.chunkId, plainSnippet(bestSentenceByWords(sentences, words) ?? ''));
      }
    }
    if (vector && embedder && this.options.sentenceSnippets === 'embedding') {
      await this.embedBestSentences(
        needSentence.filter((n) => n.chunk.keywordRank === undefined),
        vector,
        embedder,
        snippets,
      );
    }

    const out: SearchGroup[] = [];
    for (const group of page) {
      const doc = rows.docs.get(group.documentId);
      if (!doc) continue; // deleted between the read and now: cannot happen inside the snapshot, kept for safety
      out.push({
        document: { ...doc },
        score: group.score,
        chunks: group.chunks.slice(0, this.options.maxChunksPerGroup).map((c) => {
          const row = rows.chunks.get(c.chunkId);
          return {
            chunkId: c.chunkId,
            headingPath: parseHeadingPath(row?.headingPath),
            page: row?.page ?? null,
            snippet: snippets.get(c.chunkId) ?? [],
            score: c.score,
          };
        }),
      });
    }
    return out;
  }

  /** Replaces lexical snippets of semantic-only chunks with the sentence closest in meaning to the query. */
  private async embedBestSentences(
    items: Array<{ chunk: FusedChunk; sentences: string[] }>,
    vector: Float32Array,
    embedder: Embedder,
    snippets: Map<number, SnippetSegment[]>,
  ): Promise<void> {
    const batch: Array<{ chunkId: number; sentence: string }> = [];
    for (const { chunk, sentences } of items) {
      if (sentences.length < 2) continue; // one sentence: nothing to choose
      for (const s of sentences.slice(0, SENTENCES_PER_CHUNK)) {
        if (batch.length < MAX_SNIPPET_SENTENCES) batch.push({ chunkId: chunk.chunkId, sentence: clip(s, 1000) });
      }
    }
    if (batch.length === 0) return;
    try {
      // The model reads the words only: code markers are for display.
      const vectors = await embedder.embedDocuments(batch.map((b) => b.sentence.replace(/[\uE002\uE003]/g, ' ')));
      const best = new Map<number, { sentence: string; score: number }>();
      batch.forEach((b, i) => {
        const v = vectors[i];
        if (!v) return;
        const score = dot(v, vector);
        const current = best.get(b.chunkId);
        if (!current || score > current.score) best.set(b.chunkId, { sentence: b.sentence, score });
      });
      for (const [chunkId, { sentence }] of best) snippets.set(chunkId, plainSnippet(sentence));
    } catch (error) {
      // The lexical snippet already in place is a fine answer; do not fail the search.
      this.logger.warn('sentence embedding for snippets failed', {
        code: AppError.is(error) ? error.code : 'INTERNAL',
      });
    }
  }
}

function parseHeadingPath(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
