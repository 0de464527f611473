import { renameSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { createLocalImportConnectorFactory } from '../../src/main/core/connectors/local-import/local-import.connector';
import { addImportPaths } from '../../src/main/core/connectors/local-import/settings';
import { sha256Hex } from '../../src/main/core/connectors/fs/hash';
import { connectorContext, ids, KnownStore, loadText, removeDir, tempDir, writeFile } from './local-sync-harness';

function importer(settings: Record<string, unknown>) {
  return createLocalImportConnectorFactory({ batchSize: 50 })(connectorContext('local_import', settings));
}

const idOf = (text: string) => `sha256:${sha256Hex(Buffer.from(text))}`;

describe('local import connector', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('import');
  });
  afterEach(() => removeDir(root));

  it('stores identical content once, listing every path it was found at', async () => {
    const first = writeFile(root, 'inbox/report.md', '# Report\nsame words');
    const copy = writeFile(root, 'backup/copy of report.md', '# Report\nsame words');
    const other = writeFile(root, 'loose.txt', 'something else');
    writeFile(root, 'inbox/.DS_Store', 'junk');
    const run = await new KnownStore().sync(importer({ paths: [join(root, 'inbox'), join(root, 'backup'), other] }));

    expect(ids(run.upserts)).toEqual([idOf('# Report\nsame words'), idOf('something else')].sort());
    const report = run.upserts.find((d) => d.externalId === idOf('# Report\nsame words'))!;
    expect(report.metadata.paths).toEqual([first, copy]);
    expect(report.title).toBe('report.md');
    expect(report.contentHash).toBe(sha256Hex(Buffer.from('# Report\nsame words')));
    expect(report.mimeType).toBe('text/markdown');
    expect(await loadText(report)).toBe('# Report\nsame words');
  });

  it('takes a file imported by name even when it looks like junk, but skips junk inside folders', async () => {
    const named = writeFile(root, 'scratch.tmp', 'kept on purpose');
    writeFile(root, 'folder/ignored.tmp', 'junk');
    writeFile(root, 'folder/a.md', 'a');
    const run = await new KnownStore().sync(importer({ paths: [named, join(root, 'folder')] }));
    expect(run.upserts.map((d) => d.title).sort()).toEqual(['a.md', 'scratch.tmp']);
  });

  it('leaves out what a dropped folder’s .gitignore ignores, but never a file dropped by name', async () => {
    writeFile(root, 'project/.gitignore', 'dist/\n*.map\n');
    writeFile(root, 'project/notes.md', 'notes');
    writeFile(root, 'project/dist/app.js', 'bundle');
    writeFile(root, 'project/app.js.map', '{}');
    const named = writeFile(root, 'project/dist/chosen.md', 'chosen on purpose');
    const run = await new KnownStore().sync(importer({ paths: [named, join(root, 'project')] }));
    expect(run.upserts.map((d) => d.title).sort()).toEqual(['chosen.md', 'notes.md']);
  });

  it('reports progress within a dropped folder of many files, not only once the folder is read', async () => {
    for (let i = 0; i < 600; i++) writeFile(root, `drop/page-${String(i).padStart(3, '0')}.md`, `page ${i}`);
    const run = await new KnownStore().sync(importer({ paths: [join(root, 'drop')] }));
    const scanning = run.progress.filter((p) => p.processed > 0 && p.processed < 600);
    // Every 250 files at the latest (sooner when reads are slow).
    expect(scanning.length).toBeGreaterThanOrEqual(2);
    expect(scanning[0]!.message).toMatch(/^Scanning: \d+ files so far$/);
  });

  it('does not re-read or re-yield unchanged files', async () => {
    writeFile(root, 'a.md', 'a');
    writeFile(root, 'b.md', 'b');
    const store = new KnownStore();
    const connector = importer({ paths: [root] });
    await store.sync(connector);
    const again = await store.sync(connector);
    expect(again.upserts).toEqual([]);
    expect(again.deletions).toEqual([]);
    expect(again.bytesTransferred).toBe(0);
  });

  it('keeps moved files on an incremental sync and deletes them on a full one', async () => {
    const a = writeFile(root, 'drop/a.md', 'moved later');
    writeFile(root, 'drop/b.md', 'stays');
    const store = new KnownStore();
    const connector = importer({ paths: [join(root, 'drop')] });
    await store.sync(connector);
    renameSync(a, join(root, 'elsewhere.md'));

    const incremental = await store.sync(connector);
    expect(incremental.deletions).toEqual([]);
    expect(store.docs.has(idOf('moved later'))).toBe(true);

    const full = await store.sync(connector, { mode: 'full' });
    expect(full.deletions).toEqual([idOf('moved later')]);
    expect([...store.docs.keys()]).toEqual([idOf('stays')]);
    expect(full.result.cursor).toEqual({ lastFullScanAt: expect.any(Number) });
  });

  it('replaces a file edited in place, and drops one copy from a shared document', async () => {
    const one = writeFile(root, 'one.md', 'version 1');
    const two = writeFile(root, 'two.md', 'version 1');
    const store = new KnownStore();
    const connector = importer({ paths: [root] });
    await store.sync(connector);
    expect(store.docs.get(idOf('version 1'))!.metadata.paths).toEqual([one, two]);

    writeFile(root, 'two.md', 'version 2', new Date(Date.now() + 5000));
    const run = await store.sync(connector);
    expect(run.deletions).toEqual([]);
    expect(store.docs.get(idOf('version 1'))!.metadata.paths).toEqual([one]);
    expect(store.docs.get(idOf('version 2'))!.metadata.paths).toEqual([two]);

    writeFile(root, 'one.md', 'version 3', new Date(Date.now() + 5000));
    const second = await store.sync(connector);
    // Every path that held "version 1" now holds something else: that version is gone.
    expect(second.deletions).toEqual([idOf('version 1')]);
  });

  it('adds a new copy of known content as a metadata update with the same hash', async () => {
    const original = writeFile(root, 'a/original.md', 'shared');
    const store = new KnownStore();
    await store.sync(importer({ paths: [join(root, 'a')] }));
    const copy = writeFile(root, 'b/copy.md', 'shared');
    const run = await store.sync(importer({ paths: [join(root, 'a'), join(root, 'b')] }));
    expect(ids(run.upserts)).toEqual([idOf('shared')]);
    expect(run.upserts[0]!.metadata.paths).toEqual([original, copy]);
    expect(run.upserts[0]!.title).toBe('original.md');
  });

  it('records files over the limit as skipped, keyed by their path', async () => {
    const big = writeFile(root, 'huge.pdf', '');
    truncateSync(big, 30 * 1024 * 1024);
    const run = await new KnownStore().sync(importer({ paths: [root] }));
    expect(run.upserts).toHaveLength(1);
    expect(run.upserts[0]).toMatchObject({
      externalId: `file:${big}`,
      skipReason: 'File is 30.0 MB, over the 25 MB limit set for imports.',
    });
    expect(run.bytesTransferred).toBe(0);
  });

  it('fails the connection test only when nothing imported can be read any more', async () => {
    await expect(importer({ paths: [] }).testConnection()).resolves.toBeUndefined();
    const a = writeFile(root, 'a.md', 'a');
    await expect(importer({ paths: [a, join(root, 'gone.md')] }).testConnection()).resolves.toBeUndefined();
    rmSync(a);
    await expect(importer({ paths: [a] }).testConnection()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('addImportPaths', () => {
  it('merges, normalises and deduplicates absolute paths in order', () => {
    const settings = addImportPaths({ paths: ['/data/a'] }, ['/data/b/', '/data/./a', '/data/c/../b', '/data/d']);
    expect(settings.paths).toEqual(['/data/a', '/data/b', '/data/d']);
    expect(settings.maxFileSizeBytes).toBe(25 * 1024 * 1024);
    expect(addImportPaths(undefined, ['/x']).paths).toEqual(['/x']);
  });

  it('rejects relative paths with a VALIDATION error', () => {
    let error: unknown;
    try {
      addImportPaths({ paths: [] }, ['notes/today.md']);
    } catch (e) {
      error = e;
    }
    expect(AppError.is(error, 'VALIDATION')).toBe(true);
    expect((error as AppError).message).toContain('notes/today.md');
  });
});
