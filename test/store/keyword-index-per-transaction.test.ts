import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { inWriteTransaction } from '../../src/main/core/db/write-transaction';
import { seededRandom } from '../../src/main/core/seeded-random';

/**
 * The keyword index is written once at the end of each write transaction
 * (db/keyword-index-deferral.ts) and row by row anywhere else. Both must
 * leave the same index: what a search finds may not depend on how the rows
 * were written.
 */

const opened: Database[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

function library(): Database {
  const db = openDatabase(':memory:');
  opened.push(db);
  db.prepare(
    `INSERT INTO connector_configs (id, type, name, created_at, updated_at) VALUES ('c', 'local_folder', 'c', 1, 1)`,
  ).run();
  return db;
}

const WORDS = [
  'tar',
  'archive',
  'extract',
  'ports',
  'listen',
  'JobQueue',
  'enqueueAll',
  'disk',
  'space',
  '温室里种植',
  'zip',
];

/** One write of the kinds ingestion and sync make, as SQL with its parameters. */
type Op = [sql: string, ...params: unknown[]];

function randomOps(random: () => number, count: number): Op[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const docs = ['d0', 'd1', 'd2', 'd3'];
  const addDocument = (d: string, title: string): Op => [
    `INSERT INTO imported_documents (id, connector_id, external_id, title, mime_type, sync_status, created_at, updated_at)
     VALUES (?, 'c', ?, ?, 'text/plain', 'completed', 1, 1)`,
    d,
    d,
    title,
  ];
  const ops: Op[] = docs.map((d) => addDocument(d, `${d}.md`));
  let index = 0;
  for (let i = 0; i < count; i++) {
    const doc = pick(docs);
    const kind = random();
    if (kind < 0.45) {
      ops.push([
        `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
           structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
         VALUES (?, 'c', ?, ?, 'adaptive', ?, 'document_end', 'h', ?, 0, 1, 1, 1)`,
        doc,
        index++,
        text(1 + Math.floor(random() * 12)),
        random() < 0.3 ? 'code' : 'paragraph',
        JSON.stringify(random() < 0.5 ? [`${doc}.md`, text(2)] : [text(1)]),
      ]);
    } else if (kind < 0.6) {
      ops.push([
        `UPDATE imported_doc_chunks SET chunk_text = ? WHERE id = (SELECT max(id) FROM imported_doc_chunks WHERE imported_document_id = ?)`,
        text(5),
        doc,
      ]);
    } else if (kind < 0.68) {
      ops.push([
        `UPDATE imported_doc_chunks SET heading_path = ?, structure_type = ? WHERE imported_document_id = ?`,
        JSON.stringify([text(2)]),
        pick(['code', 'paragraph']),
        doc,
      ]);
    } else if (kind < 0.8) {
      // Deleting the newest chunk lets the next insert take its id again.
      ops.push([`DELETE FROM imported_doc_chunks WHERE id = (SELECT max(id) FROM imported_doc_chunks)`]);
    } else if (kind < 0.9) {
      ops.push([
        `UPDATE imported_documents SET title = ?, content_title = ? WHERE id = ?`,
        `${text(2)}.md`,
        random() < 0.5 ? text(3) : null,
        doc,
      ]);
    } else if (kind < 0.95) {
      // Its chunks go by cascade, which fires their triggers too; the document comes back empty.
      ops.push([`DELETE FROM imported_documents WHERE id = ?`, doc], addDocument(doc, text(1)));
    } else {
      ops.push([`UPDATE imported_doc_chunks SET chunk_index = -id WHERE imported_document_id = ?`, doc]);
    }
  }
  return ops;
}

const run = (db: Database, [sql, ...params]: Op) => db.prepare(sql).run(...params);

function indexRows(db: Database): unknown[] {
  return db.prepare(`SELECT rowid, chunk_text, title, heading FROM chunks_fts ORDER BY rowid`).all();
}

function found(db: Database, words: readonly string[]): number[][] {
  return words.map(
    (w) =>
      db
        .prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid`)
        .pluck()
        .all(`"${w}"`) as number[],
  );
}

/** FTS5's own check that its index matches its stored rows (throws when it does not). */
const integrityCheck = (db: Database) =>
  db.prepare(`INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')`).run();

describe('keyword index written per transaction', () => {
  it('leaves the same index as writing it row by row, through inserts, edits, deletes, renames and reused ids', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = seededRandom(seed);
      const ops = randomOps(random, 120);
      const perTransaction = library();
      const rowByRow = library();
      let at = 0;
      while (at < ops.length) {
        const batch = ops.slice(at, at + 1 + Math.floor(random() * 10));
        const outcome = random();
        if (outcome < 0.1) {
          // A transaction that fails part-way leaves nothing of itself, index included; it is tried again.
          expect(() =>
            inWriteTransaction(perTransaction, () => {
              batch.forEach((op) => run(perTransaction, op));
              throw new Error('write failed');
            }),
          ).toThrow('write failed');
          continue;
        }
        inWriteTransaction(perTransaction, () => {
          if (outcome < 0.3) {
            // Nested: the inner one is a savepoint, and the outer one indexes at its end.
            inWriteTransaction(perTransaction, () => batch.slice(0, 1).forEach((op) => run(perTransaction, op)));
            batch.slice(1).forEach((op) => run(perTransaction, op));
          } else {
            batch.forEach((op) => run(perTransaction, op));
          }
        });
        batch.forEach((op) => run(rowByRow, op));
        at += batch.length;
      }
      expect(perTransaction.prepare(`SELECT count(*) FROM chunks_fts_pending`).pluck().get(), `seed ${seed}`).toBe(0);
      expect(indexRows(perTransaction), `seed ${seed}`).toEqual(indexRows(rowByRow));
      expect(found(perTransaction, [...WORDS, 'job', 'queue', '温室'])).toEqual(
        found(rowByRow, [...WORDS, 'job', 'queue', '温室']),
      );
      integrityCheck(perTransaction);
      integrityCheck(rowByRow);
    }
  });

  it('makes one index segment of a transaction’s chunks, not one per chunk', () => {
    const segments = (write: (db: Database, fn: () => void) => void): number => {
      const db = library();
      // No merging, so the segments written stay countable.
      db.prepare(`INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('automerge', 0)`).run();
      db.prepare(`INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('crisismerge', 1000)`).run();
      const ops = randomOps(seededRandom(7), 0);
      write(db, () => {
        ops.forEach((op) => run(db, op));
        for (let i = 0; i < 40; i++) {
          run(db, [
            `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
               structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
             VALUES ('d0', 'c', ?, ?, 'adaptive', 'paragraph', 'document_end', 'h', '[]', 0, 1, 1, 1)`,
            i,
            `chunk ${i} about tar archives`,
          ]);
        }
      });
      expect(db.prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'archives'`).all()).toHaveLength(40);
      return db.prepare(`SELECT count(DISTINCT segid) FROM chunks_fts_idx`).pluck().get() as number;
    };
    expect(segments((db, fn) => inWriteTransaction(db, fn))).toBe(1);
    // Row by row in one plain transaction, each insert's statement savepoint flushes the one before it.
    expect(segments((db, fn) => db.transaction(fn)())).toBe(40);
  });
});
