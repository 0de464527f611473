import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { writeTransaction } from '../../src/main/core/db/write-transaction';

export interface BenchDocument {
  /** Becomes imported_documents.id and external_id. */
  id: string;
  title: string;
  /** One entry per chunk. */
  chunks: string[];
  mimeType?: string;
  modifiedAt?: number;
}

export interface BenchStore {
  db: Database;
  dir: string;
  file: string;
  connectorId: string;
  /** Writes documents (status completed) and their chunks; returns the chunk ids per document, in order. */
  addDocuments(docs: readonly BenchDocument[]): number[][];
  /** Bytes of the database file plus its WAL. */
  sizeOnDisk(): number;
  close(): void;
}

/** A fresh database file in a temp folder, with one local_import connector. */
/**
 * Benchmarks run with the app's own settings (openDatabase: 32 MiB page
 * cache, no memory map), so the figures are what a person gets;
 * TROVE_BENCH_MMAP=1 maps the file (2 GiB, better-sqlite3's cap) to show
 * what that would buy.
 */
export function applyBenchPragmas(db: Database): void {
  if (process.env.TROVE_BENCH_MMAP === '1') db.pragma('mmap_size = 2147418112');
}

/** The SQLite settings line the speed benchmarks print. */
export function benchPragmasLabel(): string {
  return `${process.env.TROVE_BENCH_MMAP === '1' ? 'mmap_size 2 GiB, ' : 'no mmap, '}page cache 32 MiB (the app's settings)`;
}

export function createBenchStore(prefix = 'trove-bench-'): BenchStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'trove.db');
  const db = openDatabase(file);
  applyBenchPragmas(db);
  const connectorId = 'bench-connector';
  const now = systemClock.now();
  db.prepare(
    `INSERT INTO connector_configs (id, type, name, created_at, updated_at) VALUES (?, 'local_import', 'bench', ?, ?)`,
  ).run(connectorId, now, now);
  const insertDoc = db.prepare(
    `INSERT INTO imported_documents (id, connector_id, external_id, title, mime_type, source_modified_at, sync_status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'completed', ?, ?)`,
  );
  const insertChunk = db.prepare(
    `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy, structure_type,
       boundary_type, content_hash, char_start, char_end, chunker_version, created_at)
     VALUES (?, ?, ?, ?, 'fixed', 'paragraph', 'document_end', '', 0, ?, 1, ?)`,
  );
  const addDocuments = writeTransaction(db, (docs: readonly BenchDocument[]): number[][] =>
    docs.map((d) => {
      insertDoc.run(d.id, connectorId, d.id, d.title, d.mimeType ?? 'text/plain', d.modifiedAt ?? now, now, now);
      return d.chunks.map((text, i) =>
        Number(insertChunk.run(d.id, connectorId, i, text, text.length, now).lastInsertRowid),
      );
    }),
  );
  return {
    db,
    dir,
    file,
    connectorId,
    addDocuments,
    sizeOnDisk: () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('trove.db'))
        .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
