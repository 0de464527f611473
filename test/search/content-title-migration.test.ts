import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { migrate } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { systemClock } from '../../src/main/core/clock';
import { DocumentsRepo } from '../../src/main/core/store/documents.repo';
import { databaseAt } from '../helpers/database-at';

type Db = ReturnType<typeof openDatabase>;
const ftsRow = (db: Db, id: number) =>
  db.prepare(`SELECT title, heading FROM chunks_fts WHERE rowid = ?`).get(id) as { title: string; heading: string };
const matching = (db: Db, expr: string) =>
  db.prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid`).pluck().all(expr);

function library(): Db {
  const db = databaseAt(7);
  const doc = db.prepare(
    `INSERT INTO imported_documents (id, connector_id, external_id, title, metadata, sync_status, created_at, updated_at)
     VALUES (?, 'c', ?, ?, ?, 'completed', 1, 1)`,
  );
  doc.run('md', 'atool.md', 'atool.md', JSON.stringify({ parse: { format: 'markdown' }, parsedTitle: 'Archive tool' }));
  doc.run('pdf', 'scan.pdf', 'scan.pdf', JSON.stringify({ parse: { format: 'plain' }, parsedTitle: 'untitled' }));
  const chunk = db.prepare(
    `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
       structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
     VALUES (?, 'c', 0, ?, 'adaptive', 'paragraph', 'document_end', ?, ?, 0, 1, 1, 1)`,
  );
  chunk.run('md', 'Packs and unpacks.', 'a', JSON.stringify(['Archive tool', 'Usage']));
  chunk.run('pdf', 'Scanned minutes.', 'b', JSON.stringify([]));
  return db;
}

describe('migration 8: titles from inside documents', () => {
  it('takes stored Markdown titles, and indexes the title with the file name so both are found', () => {
    const db = library();
    expect(migrate(db, MIGRATIONS, 8)).toEqual([8]);
    const titles = db.prepare(`SELECT id, content_title FROM imported_documents ORDER BY id`).all();
    // A PDF's stored title property may be junk: it waits until the PDF is read again.
    expect(titles).toEqual([
      { id: 'md', content_title: 'Archive tool' },
      { id: 'pdf', content_title: null },
    ]);
    expect(ftsRow(db, 1)).toEqual({ title: 'Archive tool atool.md', heading: 'Usage' });
    expect(matching(db, '{title} : "archive"')).toEqual([1]);
    expect(matching(db, '{title} : "atool"')).toEqual([1]);
    db.close();
  });

  it('keeps the index in step as titles arrive, change and go', () => {
    const db = library();
    migrate(db, MIGRATIONS, 8);
    db.prepare(`UPDATE imported_documents SET content_title = 'Committee minutes' WHERE id = 'pdf'`).run();
    expect(ftsRow(db, 2).title).toBe('Committee minutes scan.pdf');
    db.prepare(`UPDATE imported_documents SET title = 'minutes.pdf' WHERE id = 'pdf'`).run();
    expect(ftsRow(db, 2).title).toBe('Committee minutes minutes.pdf');
    db.prepare(`UPDATE imported_documents SET content_title = NULL WHERE id = 'md'`).run();
    // Without its title the first heading is a heading again.
    expect(ftsRow(db, 1)).toEqual({ title: 'atool.md', heading: 'Archive tool Usage' });
    db.close();
  });

  it('sets the title whenever text is stored, and keeps it when text arrives without a parse (OCR)', () => {
    const db = library();
    // Up to the current schema: the repository writes columns later migrations add.
    migrate(db, MIGRATIONS);
    const repo = new DocumentsRepo(db, systemClock);
    repo.setContent('pdf', 'text', { parsedTitle: 'Garden budget' });
    expect(ftsRow(db, 2).title).toBe('Garden budget scan.pdf');
    repo.setContent('pdf', 'text and OCR', { ocr: { state: 'done' } });
    expect(repo.get('pdf')?.metadata.parsedTitle).toBe('Garden budget');
    expect(ftsRow(db, 2).title).toBe('Garden budget scan.pdf');
    repo.setContent('pdf', 'new version', { parsedTitle: null });
    expect(repo.get('pdf')?.metadata.parsedTitle).toBeUndefined();
    expect(ftsRow(db, 2).title).toBe('scan.pdf');
    db.close();
  });
});
