import type { Database } from 'better-sqlite3';
import { ManualClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import type { ConnectorType } from '../../src/main/core/connectors/types';
import type { Embedder, EmbeddingSpace } from '../../src/main/core/embeddings/types';
import { tokenize } from '../../src/main/core/search/fts-query';
import { seededRandom } from '../../src/main/core/seeded-random';
import { silentLogger } from '../../src/main/core/logger';
import { SearchService, type SearchServiceDeps, type SearchTuning } from '../../src/main/core/search/search.service';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';

export { seededRandom };

/** A fresh store (in memory unless a file is given) with helpers that write rows the way ingestion would. */
export function createLibrary(file = ':memory:') {
  const db: Database = openDatabase(file);
  const clock = new ManualClock();
  let docSeq = 0;

  function addConnector(id: string, type: ConnectorType = 'local_folder'): string {
    db.prepare(`INSERT INTO connector_configs (id, type, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(
      id,
      type,
      `${type} ${id}`,
      clock.now(),
      clock.now(),
    );
    return id;
  }

  interface DocInput {
    connectorId: string;
    title: string;
    chunks: string[];
    status?: string;
    mimeType?: string;
    modifiedAt?: number;
    id?: string;
    /** Heading path per chunk (default: the title). */
    headingPaths?: string[][];
    /** A source file: parsed as code, its chunks of structure type `code`. */
    code?: boolean;
  }

  /** Inserts a document and its chunks; returns the document id and chunk ids in order. */
  function addDocument(input: DocInput): { id: string; chunkIds: number[] } {
    const id = input.id ?? `doc-${String(++docSeq).padStart(4, '0')}`;
    db.prepare(
      `INSERT INTO imported_documents (id, connector_id, external_id, title, mime_type, source_url, source_modified_at,
         sync_status, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.connectorId,
      id,
      input.title,
      input.mimeType ?? 'text/plain',
      `file:///${id}.txt`,
      input.modifiedAt ?? clock.now(),
      input.status ?? 'completed',
      JSON.stringify(input.code ? { parse: { format: 'code' } } : {}),
      clock.now(),
      clock.now(),
    );
    const insert = db.prepare(
      `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
         structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
       VALUES (?, ?, ?, ?, 'adaptive', ?, 'document_end', ?, ?, 0, ?, 1, ?)`,
    );
    const chunkIds = input.chunks.map((text, i) =>
      Number(
        insert.run(
          id,
          input.connectorId,
          i,
          text,
          input.code ? 'code' : 'paragraph',
          `h${i}`,
          JSON.stringify(input.headingPaths?.[i] ?? [input.title]),
          text.length,
          clock.now(),
        ).lastInsertRowid,
      ),
    );
    return { id, chunkIds };
  }

  return { db, clock, addConnector, addDocument };
}

export type Library = ReturnType<typeof createLibrary>;

export const HASHING_SPACE = { provider: 'local' as const, model: 'test/hashing', dimensions: 64 };

/**
 * Embeds every chunk (title in front, as ingestion does) with the hashing
 * embedder (or the one given) into an active space, and returns a
 * SearchService over the library that uses it (or none, with `embedder: false`).
 */
export function searchServiceFor<E extends HashingEmbedder = HashingEmbedder>(
  lib: Library,
  options: { embedder?: boolean | E; tuning?: SearchTuning; vectorScan?: SearchServiceDeps['vectorScan'] } = {},
) {
  const embedder = (
    options.embedder instanceof HashingEmbedder ? options.embedder : new HashingEmbedder(HASHING_SPACE)
  ) as E;
  const spaces = new EmbeddingSpacesRepo(lib.db, lib.clock);
  const space = spaces.ensure(embedder.space);
  spaces.setActive(space.id);
  const rows = lib.db
    .prepare(
      `SELECT c.id, d.title || char(10) || c.chunk_text AS text
       FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id`,
    )
    .all() as Array<{ id: number; text: string }>;
  new VectorsRepo(lib.db).upsert(
    space,
    rows.map((r) => ({ chunkId: r.id, vector: embedder.embed(r.text) })),
  );
  const service = new SearchService({
    db: lib.db,
    clock: lib.clock,
    getEmbedder: () => (options.embedder === false ? null : embedder),
    logger: silentLogger,
    tuning: options.tuning,
    vectorScan: options.vectorScan,
  });
  return { service, embedder, space };
}

/**
 * A fake embedder of our own contract: hashed bag-of-words vectors, so texts
 * sharing words are close. Deterministic; counts its query calls.
 */
export class HashingEmbedder implements Embedder {
  readonly dimensions: number;
  queryCalls = 0;
  documentCalls = 0;

  constructor(readonly space: EmbeddingSpace) {
    this.dimensions = space.dimensions;
  }

  embed(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const token of tokenize(text)) {
      let h = 2166136261;
      for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 16777619);
      v[(h >>> 0) % this.dimensions]! += (h & 0x100) === 0 ? 1 : -1;
    }
    return normalize(v);
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    this.documentCalls++;
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    this.queryCalls++;
    return this.embed(text);
  }
}

/** The titles of the documents a keyword search finds for `query`, in their order. */
export async function keywordTitles(service: SearchService, query: string, limit?: number): Promise<string[]> {
  const response = await service.search({ query, mode: 'keyword', ...(limit ? { limit } : {}) });
  return response.groups.map((g) => g.document.title);
}

export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
