import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { migrate } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { databaseAt } from '../helpers/database-at';

const ftsRows = (db: ReturnType<typeof openDatabase>) =>
  db.prepare(`SELECT rowid AS id, chunk_text AS text, title, heading FROM chunks_fts ORDER BY rowid`).all();
const matching = (db: ReturnType<typeof openDatabase>, expr: string) =>
  db.prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid`).pluck().all(expr);

describe('migration 5: heading paths in the keyword index', () => {
  it('rebuilds the index from existing chunks, then keeps the heading column in step', () => {
    const db = databaseAt(4);
    db.prepare(
      `INSERT INTO imported_documents (id, connector_id, external_id, title, sync_status, created_at, updated_at)
       VALUES ('d', 'c', 'guide.md', 'Install guide', 'completed', 1, 1)`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
         structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
       VALUES ('d', 'c', ?, ?, 'adaptive', 'paragraph', 'document_end', ?, ?, 0, 1, 1, 1)`,
    );
    insert.run(0, 'Run apt.', 'a', JSON.stringify(['Install guide', 'Linux', 'Debian "bookworm"']));
    insert.run(1, 'Use brew.', 'b', JSON.stringify(['Install guide', 'macOS']));

    expect(migrate(db, MIGRATIONS, 5)).toEqual([5]);
    // The first heading repeats the title, which has its own column: left out.
    expect(ftsRows(db)).toEqual([
      { id: 1, text: 'Run apt.', title: 'Install guide', heading: 'Linux Debian "bookworm"' },
      { id: 2, text: 'Use brew.', title: 'Install guide', heading: 'macOS' },
    ]);
    expect(matching(db, '{heading} : "bookworm"')).toEqual([1]);

    // A chunk kept across a re-chunk changes its heading path only.
    db.prepare(
      `UPDATE imported_doc_chunks SET heading_path = '["Install guide","Windows"]' WHERE chunk_index = 1`,
    ).run();
    expect(matching(db, '{heading} : "windows"')).toEqual([2]);
    expect(matching(db, '{heading} : "macos"')).toEqual([]);
    // A renamed document: the old title is a heading now, the new one a title.
    db.prepare(`UPDATE imported_documents SET title = 'Setup' WHERE id = 'd'`).run();
    expect(matching(db, '{title} : "setup"')).toEqual([1, 2]);
    expect(matching(db, '{heading} : "install"')).toEqual([1, 2]);
    // New chunks and deletions follow.
    insert.run(2, 'Docker too.', 'c', JSON.stringify(['Setup', 'Containers']));
    expect(matching(db, '{heading} : "containers"')).toEqual([3]);
    expect(matching(db, '{heading} : "setup"')).toEqual([]);
    db.prepare(`DELETE FROM imported_doc_chunks WHERE chunk_index = 0`).run();
    expect(matching(db, 'apt')).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM chunks_fts`).pluck().get()).toBe(2);
    db.close();
  });
});
