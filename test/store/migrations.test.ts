import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { migrate, schemaVersion } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { databaseAt } from '../helpers/database-at';

const EXPECTED_TABLES = [
  'connector_configs',
  'imported_documents',
  'imported_doc_chunks',
  'chunks_fts',
  'embedding_spaces',
  'vector_gc',
  'jobs',
  'connector_sync_logs',
  'webhook_events',
  'relay_channels',
  'events',
  'settings',
];

describe('migrations', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-mig-'));
    dirs.push(dir);
    return join(dir, 'trove.db');
  };

  it('creates every table of the data model on an empty database', () => {
    const db = openDatabase(':memory:');
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>
    ).map((r) => r.name);
    for (const t of EXPECTED_TABLES) expect(tables).toContain(t);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('sets the pragmas the design asks for', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('cache_size', { simple: true })).toBe(-32 * 1024); // 32 MiB page cache
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect((db.prepare('SELECT vec_version() AS v').get() as { v: string }).v).toMatch(/^v0\./);
    db.close();
  });

  it('is a no-op on an already-migrated database and keeps its data', () => {
    const file = tempFile();
    const first = openDatabase(file);
    first.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('theme', '"dark"', 1)`).run();
    first.close();
    const raw = new BetterSqlite3(file);
    expect(migrate(raw)).toEqual([]);
    expect(raw.prepare(`SELECT value FROM settings WHERE key = 'theme'`).get()).toEqual({ value: '"dark"' });
    raw.close();
  });

  it('applies each migration atomically: a failing one leaves the previous version intact', () => {
    const db = openDatabase(':memory:', { migrate: false });
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE x (a); SELEC oops;' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'x'`).get()).toBeUndefined();
  });

  it('migration 3 adds IVF bookkeeping and switches off quantised spaces whose bit tables predate the lists', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrate(db, MIGRATIONS, 2);
    db.prepare(
      `INSERT INTO embedding_spaces (space_key, provider, model, dimensions, quantized, is_active, created_at, updated_at)
       VALUES ('local/m/8', 'local', 'm', 8, 1, 1, 1, 1), ('local/n/8', 'local', 'n', 8, 0, 0, 1, 1)`,
    ).run();
    expect(migrate(db, MIGRATIONS, 3)).toEqual([3]);
    expect(
      db
        .prepare(`SELECT model, quantized, ivf_lists, ivf_trained_for, ivf_version FROM embedding_spaces ORDER BY id`)
        .all(),
    ).toEqual([
      { model: 'm', quantized: 0, ivf_lists: 1, ivf_trained_for: 0, ivf_version: 0 },
      { model: 'n', quantized: 0, ivf_lists: 1, ivf_trained_for: 0, ivf_version: 0 },
    ]);
    db.close();
  });

  it('migration 4 makes documents an interrupted sync left without text be read again, and only those', () => {
    const db = databaseAt(3);
    const insert = db.prepare(
      `INSERT INTO imported_documents (id, connector_id, external_id, title, content_hash, content, sync_status, created_at, updated_at)
       VALUES (?, 'c', ?, ?, 'h', ?, ?, 1, 1)`,
    );
    insert.run('stuck', 'a.md', 'a', null, 'pending');
    insert.run('stuck-processing', 'b.md', 'b', null, 'processing');
    insert.run('queued', 'c.md', 'c', 'text', 'pending');
    insert.run('done', 'd.md', 'd', 'text', 'completed');
    insert.run('skipped', 'e.bin', 'e', null, 'skipped');
    expect(migrate(db, MIGRATIONS, 4)).toEqual([4]);
    expect(db.prepare(`SELECT id, content_hash AS hash FROM imported_documents ORDER BY id`).all()).toEqual([
      { id: 'done', hash: 'h' },
      { id: 'queued', hash: 'h' },
      { id: 'skipped', hash: 'h' },
      { id: 'stuck', hash: null },
      { id: 'stuck-processing', hash: null },
    ]);
    db.close();
  });

  it('migration 6 keeps pages read by OCR, each either read (with a confidence) or failed (with a reason)', () => {
    const db = databaseAt(5);
    db.prepare(
      `INSERT INTO imported_documents (id, connector_id, external_id, title, content_hash, content, sync_status, created_at, updated_at)
       VALUES ('d', 'c', 'scan.pdf', 'scan.pdf', 'h', '', 'completed', 1, 1)`,
    ).run();
    expect(migrate(db, MIGRATIONS, 6)).toEqual([6]);
    const insert = db.prepare(
      `INSERT INTO ocr_pages (document_id, content_hash, page, text, confidence, error, created_at) VALUES ('d', 'h', ?, ?, ?, ?, 1)`,
    );
    insert.run(1, 'Read well.', 91, null);
    insert.run(2, '', null, 'The page could not be decoded.');
    expect(() => insert.run(3, 'x', null, null)).toThrow(/CHECK/);
    expect(() => insert.run(4, 'x', 101, null)).toThrow(/CHECK/);
    expect(() => insert.run(5, 'x', 50, 'both')).toThrow(/CHECK/);
    // The pages go with their document.
    db.prepare(`DELETE FROM imported_documents WHERE id = 'd'`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM ocr_pages`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('migration 10 indexes the character pairs of chunks in Chinese, Japanese or Korean already indexed, and only those', () => {
    const db = databaseAt(9);
    db.exec(`INSERT INTO imported_documents (id, connector_id, external_id, title, sync_status, created_at, updated_at)
        VALUES ('d', 'c', 'notes.md', 'notes.md', 'completed', 1, 1)`);
    const insert = db.prepare(
      `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
         structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
       VALUES ('d', 'c', ?, ?, 'adaptive', 'paragraph', 'document_end', ?, '[]', 0, 10, 1, 1)`,
    );
    const chinese = Number(insert.run(0, '我们在温室里种植番茄和黄瓜。', 'h0').lastInsertRowid);
    const english = Number(insert.run(1, 'Water the tomatoes every morning.', 'h1').lastInsertRowid);
    const found = (query: string): number[] =>
      db.prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?`).pluck().all(query) as number[];
    expect(found('"番茄"')).toEqual([]);

    expect(migrate(db, MIGRATIONS, 10)).toEqual([10]);
    expect(found('"番茄"')).toEqual([chinese]);
    expect(found('"tomatoes"')).toEqual([english]);
    expect(db.prepare(`SELECT chunk_text FROM chunks_fts WHERE rowid = ?`).pluck().get(english)).toBe(
      'Water the tomatoes every morning.',
    );
    // Chunks written later go through the new triggers.
    const later = Number(insert.run(2, '夏天要注意通风。', 'h2').lastInsertRowid);
    expect(found('"通风"')).toEqual([later]);
    db.close();
  });

  it('migration 11 indexes the character pairs of titles in Chinese, Japanese or Korean, and only those', () => {
    const db = databaseAt(10);
    db.exec(`INSERT INTO imported_documents (id, connector_id, external_id, title, sync_status, created_at, updated_at)
        VALUES ('zh', 'c', 'a.md', '番茄种植笔记.md', 'completed', 1, 1), ('en', 'c', 'b.md', 'Tomato notes.md', 'completed', 1, 1)`);
    const insert = db.prepare(
      `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
         structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
       VALUES (?, 'c', ?, 'Water daily.', 'adaptive', 'paragraph', 'document_end', ?, '[]', 0, 10, 1, 1)`,
    );
    const chinese = Number(insert.run('zh', 0, 'h0').lastInsertRowid);
    const english = Number(insert.run('en', 0, 'h1').lastInsertRowid);
    const inTitle = (word: string): number[] =>
      db
        .prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?`)
        .pluck()
        .all(`{title} : "${word}"`) as number[];
    expect(inTitle('番茄')).toEqual([]);

    expect(migrate(db, MIGRATIONS, 11)).toEqual([11]);
    expect(inTitle('番茄')).toEqual([chinese]);
    expect(inTitle('笔记')).toEqual([chinese]);
    expect(inTitle('tomato')).toEqual([english]);
    expect(db.prepare(`SELECT title FROM chunks_fts WHERE rowid = ?`).pluck().get(english)).toBe('Tomato notes.md');
    // A title found later, and chunks written later, go through the new triggers.
    db.prepare(`UPDATE imported_documents SET content_title = '温室日记' WHERE id = 'en'`).run();
    expect(inTitle('日记')).toEqual([english]);
    const later = Number(insert.run('zh', 1, 'h2').lastInsertRowid);
    expect(inTitle('种植')).toEqual([chinese, later]);
    db.close();
  });

  it('migration 14 gives local .gz files their type and lets type: filters read titles from the index', () => {
    const db = databaseAt(13);
    db.exec(`INSERT INTO connector_configs (id, type, name, settings, created_at, updated_at)
        VALUES ('drive', 'google_drive', 'Drive', '{}', 1, 1);
      INSERT INTO imported_documents (id, connector_id, external_id, title, mime_type, sync_status, created_at, updated_at)
        VALUES ('gz', 'c', 'doc/NEWS.gz', 'NEWS.gz', 'application/octet-stream', 'completed', 1, 1),
          ('heic', 'c', 'photo.heic', 'photo.heic', 'application/octet-stream', 'skipped', 1, 1),
          ('remote', 'drive', 'x1', 'backup.gz', 'application/octet-stream', 'completed', 1, 1)`);

    expect(migrate(db, MIGRATIONS, 14)).toEqual([14]);
    const types = db.prepare(`SELECT id, mime_type FROM imported_documents ORDER BY id`).all();
    expect(types).toEqual([
      { id: 'gz', mime_type: 'application/gzip' },
      // Another file Trove names no type for, and a file a provider typed, keep theirs.
      { id: 'heic', mime_type: 'application/octet-stream' },
      { id: 'remote', mime_type: 'application/octet-stream' },
    ]);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM imported_documents INDEXED BY idx_imported_documents_searchable
        WHERE id = 'gz' AND mime_type = 'application/gzip' AND title LIKE '%.md.gz'`,
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/COVERING INDEX idx_imported_documents_searchable/);
    db.close();
  });

  it('migration 15 gives local files of every format Trove reads their type, by extension or name', () => {
    const db = databaseAt(14);
    const octet = 'application/octet-stream';
    const files: Array<[id: string, title: string, connector: string]> = [
      ['rst', 'Install Guide.RST', 'c'],
      ['log', 'server.2026-12-05.log', 'c'],
      ['png', 'scan.png', 'c'],
      ['make', 'Makefile', 'c'],
      ['readme', 'README', 'c'],
      ['dotfile', '.bashrc', 'c'],
      ['dotlog', '.log', 'c'],
      ['heic', 'photo.heic', 'c'],
      ['remote', 'notes.rst', 'drive'],
    ];
    db.exec(`INSERT INTO connector_configs (id, type, name, settings, created_at, updated_at)
        VALUES ('drive', 'google_drive', 'Drive', '{}', 1, 1)`);
    const insert = db.prepare(`INSERT INTO imported_documents
        (id, connector_id, external_id, title, mime_type, sync_status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'completed', 1, 1)`);
    for (const [id, title, connector] of files) insert.run(id, connector, `docs/${title}`, title, octet);
    // Files with no type by name, told apart by what their stored facts say their bytes were.
    const read = db.prepare(`INSERT INTO imported_documents
        (id, connector_id, external_id, title, mime_type, sync_status, metadata, created_at, updated_at)
        VALUES (?, 'c', ?, ?, '${octet}', ?, ?, 1, 1)`);
    const facts = (parse: object, more: object = {}): string => JSON.stringify({ parse, ...more });
    read.run('news', 'NEWS', 'NEWS', 'completed', facts({ format: 'plain', pages: null }));
    read.run('scan', 'scan0001', 'scan0001', 'completed', facts({ format: 'plain', pages: [0] }));
    read.run('photo', 'IMG', 'IMG', 'completed', facts({ format: 'plain', pages: null }, { ocr: { state: 'done' } }));
    read.run('blob', 'core', 'core', 'skipped', '{}');

    expect(migrate(db, MIGRATIONS, 15)).toEqual([15]);
    const types = Object.fromEntries(
      db.prepare(`SELECT id, mime_type FROM imported_documents`).raw().all() as Array<[string, string]>,
    );
    expect(types).toEqual({
      rst: 'text/x-rst',
      log: 'text/x-log',
      png: 'image/png',
      make: 'text/x-makefile',
      // No extension, a hidden file's name, a format Trove does not read, a file a provider typed: as they were.
      readme: octet,
      dotfile: octet,
      dotlog: octet,
      heic: octet,
      remote: octet,
      news: 'text/plain',
      // A PDF or an image with no extension, and a file that was not read, are not plain text.
      scan: octet,
      photo: octet,
      blob: octet,
    });
    db.close();
  });

  it('refuses a database from a newer Trove instead of corrupting it', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer Trove/);
  });

  it('rejects invalid JSON in JSON columns', () => {
    const db = openDatabase(':memory:');
    expect(() =>
      db
        .prepare(
          `INSERT INTO connector_configs (id, type, name, settings, created_at, updated_at) VALUES ('a', 'notion', 'n', '{bad', 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
  });
});
