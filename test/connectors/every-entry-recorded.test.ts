import { execFileSync } from 'node:child_process';
import { closeSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalFolderConnectorFactory } from '../../src/main/core/connectors/local-folder/local-folder.connector';
import { createLocalImportConnectorFactory } from '../../src/main/core/connectors/local-import/local-import.connector';
import { hashFile } from '../../src/main/core/connectors/fs/hash';
import { sha256Hex } from '../../src/main/core/connectors/fs/hash';
import { connectorContext, KnownStore, loadText, removeDir, tempDir, writeFile } from './local-sync-harness';

const MB = 1024 * 1024;
const folder = (settings: Record<string, unknown>) =>
  createLocalFolderConnectorFactory()(connectorContext('local_folder', settings));
const importer = (settings: Record<string, unknown>) =>
  createLocalImportConnectorFactory()(connectorContext('local_import', settings));

/** "café notes.txt" as an old Latin-1 system wrote it: the é is the single byte 0xE9. */
function writeLatin1Name(dir: string, content: string): Buffer {
  const path = Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from(' notes.txt')]);
  writeFileSync(path, content);
  return path;
}

/** A sparse file: `size` bytes long, nothing written, so reading it would be the only cost. */
function sparseFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  closeSync(fd);
  execFileSync('truncate', ['-s', String(size), path]);
}

describe('every entry a local sync meets gets a record', () => {
  let root: string;
  let server: Server | undefined;
  beforeEach(() => {
    root = tempDir('entries');
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    removeDir(root);
  });

  it('records named pipes, sockets and devices as skipped, without opening them', async () => {
    writeFile(root, 'note.md', '# Note');
    execFileSync('mkfifo', [join(root, 'pipe')]);
    server = await new Promise<Server>((resolve) => {
      const listening = createServer().listen(join(root, 'app.sock'), () => resolve(listening));
    });
    symlinkSync('/dev/null', join(root, 'null-device'));
    // A pipe nobody writes to: opening it for reading the ordinary way would wait forever.
    const run = await new KnownStore().sync(folder({ path: root, followSymlinks: true }));
    const reasons = Object.fromEntries(run.upserts.map((d) => [d.externalId, d.skipReason]));
    expect(reasons).toEqual({
      'note.md': undefined,
      pipe: 'This is a named pipe (FIFO), not a file: it holds no content of its own, and reading it could wait forever, so Trove does not open it.',
      'app.sock':
        'This is a socket (a connection point of a running program), not a file with content, so Trove does not open it.',
      'null-device':
        'This is a character device (hardware or a system device), not a file with content, so Trove does not open it.',
    });
    // The next sync has nothing new to say about them, and does not delete them.
    const store = new KnownStore();
    await store.sync(folder({ path: root, followSymlinks: true }));
    const again = await store.sync(folder({ path: root, followSymlinks: true }));
    expect(again.upserts).toEqual([]);
    expect(again.deletions).toEqual([]);
  });

  it('refuses to read a path that became a pipe after it was listed, at once', async () => {
    const path = join(root, 'was-a-file');
    execFileSync('mkfifo', [path]);
    await expect(hashFile(path, { maxBytes: MB, tooLarge: () => 'too large' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_FILE',
      details: { skipReason: expect.stringMatching(/^This is a named pipe \(FIFO\)/) },
    });
    const note = writeFile(root, 'note.md', '# Note');
    const run = await new KnownStore().sync(folder({ path: root }));
    const doc = run.upserts.find((d) => d.externalId === 'note.md')!;
    // Bytes were cached while hashing; swap the file for a pipe and ask again.
    await loadText(doc);
    execFileSync('rm', [note]);
    execFileSync('mkfifo', [note]);
    await expect(doc.load(new AbortController().signal)).rejects.toMatchObject({
      code: 'UNSUPPORTED_FILE',
      details: { skipReason: expect.stringMatching(/named pipe/) },
    });
  });

  it('indexes a file whose name is not UTF-8 under its escaped name, and reads it by its bytes', async () => {
    writeLatin1Name(root, 'Orchard notes from an old system.');
    const run = await new KnownStore().sync(folder({ path: root }));
    expect(run.upserts.map((d) => d.externalId)).toEqual(['caf\\xE9 notes.txt']);
    const doc = run.upserts[0]!;
    expect(doc.title).toBe('caf\\xE9 notes.txt');
    expect(doc.skipReason).toBeUndefined();
    expect(doc.sourceUrl).toBe(`file://${root}/caf%E9%20notes.txt`);
    expect(await loadText(doc)).toBe('Orchard notes from an old system.');
    // Stable: the next sync sees the same id, unchanged.
    const store = new KnownStore();
    await store.sync(folder({ path: root }));
    expect((await store.sync(folder({ path: root }))).upserts).toEqual([]);
  });

  it('rejects a file over what the parsers accept from its stat, even when the folder allows more', async () => {
    sparseFile(join(root, 'huge.log'), 1024 * MB);
    writeFile(root, 'small.md', '# small');
    const run = await new KnownStore().sync(folder({ path: root, maxFileSizeBytes: 2000 * MB }));
    expect(run.upserts.find((d) => d.externalId === 'huge.log')!.skipReason).toBe(
      'File is 1.0 GB, over the 50 MB Trove reads from any one file (the limit set for this folder is 2000 MB).',
    );
    // Only the small file was read.
    expect(run.bytesTransferred).toBe('# small'.length);
  });

  it('records a pipe and an over-size file given to import by name, reading neither', async () => {
    const pipe = join(root, 'pipe');
    execFileSync('mkfifo', [pipe]);
    const huge = join(root, 'huge.bin');
    sparseFile(huge, 1024 * MB);
    const run = await new KnownStore().sync(importer({ paths: [pipe, huge], maxFileSizeBytes: 2000 * MB }));
    expect(Object.fromEntries(run.upserts.map((d) => [d.externalId, d.skipReason]))).toEqual({
      [`file:${pipe}`]: expect.stringMatching(/^This is a named pipe \(FIFO\)/),
      [`file:${huge}`]:
        'File is 1.0 GB, over the 50 MB Trove reads from any one file (the limit set for imports is 2000 MB).',
    });
    expect(run.bytesTransferred).toBe(0);
  });

  it('imports a file whose name is not UTF-8 by content, and reads it by its bytes', async () => {
    writeLatin1Name(root, 'Imported orchard notes.');
    const run = await new KnownStore().sync(importer({ paths: [root] }));
    const doc = run.upserts[0]!;
    expect(doc.externalId).toBe(`sha256:${sha256Hex(Buffer.from('Imported orchard notes.'))}`);
    expect(doc.metadata.paths).toEqual([`${root}/caf\\xE9 notes.txt`]);
    expect(await loadText(doc)).toBe('Imported orchard notes.');
  });

  it('drops the record of an unread path once it is not met again, even in incremental mode', async () => {
    const pipe = join(root, 'pipe');
    execFileSync('mkfifo', [pipe]);
    const store = new KnownStore();
    await store.sync(importer({ paths: [root] }));
    expect([...store.docs.keys()]).toEqual([`file:${pipe}`]);
    execFileSync('rm', [pipe]);
    writeFile(root, 'pipe', 'now a real file');
    const run = await store.sync(importer({ paths: [root] }), { mode: 'incremental' });
    expect(run.deletions).toEqual([`file:${pipe}`]);
    expect([...store.docs.keys()]).toEqual([`sha256:${sha256Hex(Buffer.from('now a real file'))}`]);
  });
});
