import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, truncateSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import {
  createLocalFolderConnectorFactory,
  localFolderConnectorFactory,
} from '../../src/main/core/connectors/local-folder/local-folder.connector';
import { connectorContext, ids, KnownStore, loadText, removeDir, tempDir, writeFile } from './local-sync-harness';

const MB = 1024 * 1024;
const past = new Date('2024-01-01T00:00:00Z');

function folder(
  settings: Record<string, unknown>,
  options: Parameters<typeof createLocalFolderConnectorFactory>[0] = {},
) {
  return createLocalFolderConnectorFactory(options)(connectorContext('local_folder', settings));
}

describe('local folder connector', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('folder');
  });
  afterEach(() => removeDir(root));

  it('checks that the folder exists and is a folder', async () => {
    await expect(folder({ path: root }).testConnection()).resolves.toBeUndefined();
    const missing = join(root, 'nope');
    await expect(folder({ path: missing }).testConnection()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `The folder ${missing} does not exist or cannot be read.`,
    });
    const file = writeFile(root, 'a.md', '# a');
    await expect(folder({ path: file }).testConnection()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('yields every file with a relative posix id, metadata, type and its bytes', async () => {
    writeFile(root, 'notes/today.md', '# Today\nhello');
    writeFile(root, 'notes/deep/er/data.csv', 'a,b\n1,2');
    writeFile(root, 'readme.txt', 'plain');
    writeFile(root, 'photo.heic', new Uint8Array([0, 1, 2]));
    const run = await new KnownStore().sync(folder({ path: root }));

    expect(ids(run.upserts)).toEqual(['notes/deep/er/data.csv', 'notes/today.md', 'photo.heic', 'readme.txt']);
    const today = run.upserts.find((d) => d.externalId === 'notes/today.md')!;
    expect(today.title).toBe('today.md');
    expect(today.mimeType).toBe('text/markdown');
    expect(today.sourceUrl).toBe(`file://${join(root, 'notes/today.md')}`);
    expect(today.metadata).toMatchObject({
      path: join(root, 'notes', 'today.md'),
      relativePath: 'notes/today.md',
      extension: 'md',
      sizeBytes: 13,
    });
    expect(today.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await loadText(today)).toBe('# Today\nhello');
    // Loaded twice (the cached bytes are released after the first): still the content.
    expect(await loadText(today)).toBe('# Today\nhello');
    expect(run.upserts.find((d) => d.externalId === 'notes/deep/er/data.csv')!.mimeType).toBe('text/csv');
    expect(run.upserts.find((d) => d.externalId === 'photo.heic')!.mimeType).toBe('application/octet-stream');
    expect(run.deletions).toEqual([]);
    expect(run.bytesTransferred).toBeGreaterThan(0);
    expect(run.result.cursor).toEqual({ lastFullScanAt: expect.any(Number) });
  });

  it('leaves out junk, hidden files and keys by default and honours include and exclude globs', async () => {
    for (const path of [
      'a.md',
      'docs/b.md',
      'docs/c.txt',
      '.git/config',
      // A home folder's hidden files: keys, credentials, shell history, caches, a project's .env.
      '.ssh/id_ed25519',
      '.aws/credentials',
      '.bash_history',
      '.cache/thumbnails/x.txt',
      'code/app/.env',
      'code/app/.env.local',
      'notes/.obsidian/workspace.json',
      'backup/id_rsa',
      'certs/server.pem',
      'node_modules/pkg/index.js',
      'sub/node_modules/x.md',
      '.DS_Store',
      'docs/.DS_Store',
      'docs/~$report.docx',
      'draft.tmp',
      'drafts/private.md',
    ]) {
      writeFile(root, path, `content of ${path}`);
    }
    const defaults = await new KnownStore().sync(folder({ path: root }));
    expect(ids(defaults.upserts)).toEqual(['a.md', 'docs/b.md', 'docs/c.txt', 'drafts/private.md']);

    const onlyMarkdown = await new KnownStore().sync(folder({ path: root, include: ['*.md'], exclude: ['drafts/**'] }));
    // A custom exclude replaces the defaults, so node_modules counts again here.
    expect(ids(onlyMarkdown.upserts)).toEqual(['a.md', 'docs/b.md', 'sub/node_modules/x.md']);

    const docsOnly = await new KnownStore().sync(folder({ path: root, include: ['docs/**'] }));
    expect(ids(docsOnly.upserts)).toEqual(['docs/b.md', 'docs/c.txt']);
  });

  it('leaves out what the folder’s .gitignore files ignore, as Git reads them, unless told not to', async () => {
    const project = {
      '.gitignore': '# build output\nout/\n*.log\n!keep.log\n/top.md\nbuild/\n',
      'README.md': 'readme',
      'out/bundle.js': 'minified',
      'out/notes.md': 'inside an ignored folder: cannot be brought back',
      'debug.log': 'noise',
      'keep.log': 'kept by a negation',
      'top.md': 'anchored to the root',
      'docs/top.md': 'same name deeper: kept',
      'docs/build/page.md': 'in a folder named build',
      'docs/build.md': 'a file whose name a folder-only pattern names: kept',
      'docs/.gitignore': 'drafts\n!important.log\n',
      'docs/drafts/idea.md': 'ignored by the deeper file',
      'docs/important.log': 'the deeper file overrides the root’s *.log',
      'other/drafts.md': 'the deeper file’s rules stay in its folder',
    };
    for (const [path, text] of Object.entries(project)) writeFile(root, path, text);
    const kept = ['README.md', 'docs/build.md', 'docs/important.log', 'docs/top.md', 'keep.log', 'other/drafts.md'];

    const store = new KnownStore();
    expect(ids((await store.sync(folder({ path: root }))).upserts)).toEqual(kept);
    // The same answer for a sync of named files (no walk).
    const named = await new KnownStore().sync(folder({ path: root }), { onlyExternalIds: Object.keys(project) });
    expect(ids(named.upserts)).toEqual(kept);

    // A rule added later takes its files out of the index at the next sync.
    writeFile(root, '.gitignore', `${project['.gitignore']}docs/top.md\n`, new Date(Date.now() + 5000));
    expect((await store.sync(folder({ path: root }))).deletions).toEqual(['docs/top.md']);

    const everything = await new KnownStore().sync(folder({ path: root, respectGitignore: false }));
    // Everything but the hidden .gitignore files themselves.
    expect(ids(everything.upserts)).toEqual(
      Object.keys(project)
        .filter((p) => !/(^|\/)\./.test(p))
        .sort(),
    );
  });

  it('indexes a folder whose .gitignore cannot be used as if it had none', async () => {
    writeFile(root, 'a.md', 'a');
    writeFile(root, 'sub/b.md', 'b');
    // Far larger than any .gitignore a person writes: not read (not held in memory either).
    writeFile(root, '.gitignore', `*\n${'#'.repeat(300 * 1024)}\n`);
    // A folder named .gitignore is not a rules file; a pipe named so is never opened (it would wait for a writer).
    writeFile(root, 'sub/.gitignore/c.md', 'c');
    writeFile(root, 'piped/d.md', 'd');
    execFileSync('mkfifo', [join(root, 'piped', '.gitignore')]);
    const run = await new KnownStore().sync(folder({ path: root }));
    // (Hidden, the .gitignore files and folder are not indexed themselves.)
    expect(ids(run.upserts)).toEqual(['a.md', 'piped/d.md', 'sub/b.md']);
    const named = await new KnownStore().sync(folder({ path: root }), { onlyExternalIds: ['piped/d.md', 'sub/b.md'] });
    expect(ids(named.upserts)).toEqual(['piped/d.md', 'sub/b.md']);
  });

  it('records files over the size limit as skipped, with the reason, without reading them', async () => {
    writeFile(root, 'small.md', 'x'.repeat(100));
    const big = writeFile(root, 'video-notes.txt', '');
    truncateSync(big, 50 * MB); // sparse: 50 MB on paper, nothing on disk
    const run = await new KnownStore().sync(folder({ path: root }));
    const skipped = run.upserts.find((d) => d.externalId === 'video-notes.txt')!;
    expect(skipped.skipReason).toBe('File is 50.0 MB, over the 25 MB limit set for this folder.');
    expect(skipped.sizeBytes).toBe(50 * MB);
    expect(run.upserts.find((d) => d.externalId === 'small.md')!.skipReason).toBeUndefined();
    expect(run.bytesTransferred).toBe(100);

    const custom = await new KnownStore().sync(folder({ path: root, maxFileSizeBytes: 50 }));
    expect(custom.upserts.find((d) => d.externalId === 'small.md')!.skipReason).toBe(
      'File is 100 bytes, over the 50 bytes limit set for this folder.',
    );
  });

  it('syncs incrementally: unchanged files are not yielded, changes once, touches with the same hash', async () => {
    writeFile(root, 'a.md', 'alpha', past);
    writeFile(root, 'b.md', 'beta', past);
    writeFile(root, 'c/d.md', 'delta', past);
    const store = new KnownStore();
    const connector = folder({ path: root });
    expect((await store.sync(connector)).upserts).toHaveLength(3);

    const quiet = await store.sync(connector);
    expect(quiet.upserts).toEqual([]);
    expect(quiet.deletions).toEqual([]);
    expect(quiet.bytesTransferred).toBe(0); // nothing was even read

    const before = store.docs.get('a.md')!.contentHash;
    writeFile(root, 'a.md', 'alpha, edited', new Date('2024-02-01T00:00:00Z'));
    const changed = await store.sync(connector);
    expect(ids(changed.upserts)).toEqual(['a.md']);
    expect(changed.upserts[0]!.contentHash).not.toBe(before);
    expect(await loadText(changed.upserts[0]!)).toBe('alpha, edited');
    expect((await store.sync(connector)).upserts).toEqual([]);

    // Touched: new mtime, same bytes. Yielded once with the same hash so the stored mtime catches up.
    const hashB = store.docs.get('b.md')!.contentHash;
    const touchedAt = new Date('2024-03-01T00:00:00Z');
    utimesSync(join(root, 'b.md'), touchedAt, touchedAt);
    const touched = await store.sync(connector);
    expect(ids(touched.upserts)).toEqual(['b.md']);
    expect(touched.upserts[0]!.contentHash).toBe(hashB);
    expect(touched.upserts[0]!.modifiedAt).toBe(touchedAt.getTime());
    expect((await store.sync(connector)).upserts).toEqual([]);
  });

  it('detects a changed file even when its size stays the same', async () => {
    writeFile(root, 'a.md', 'aaaa', past);
    const store = new KnownStore();
    const connector = folder({ path: root });
    await store.sync(connector);
    writeFile(root, 'a.md', 'bbbb', new Date(past.getTime() + 1500));
    const run = await store.sync(connector);
    expect(ids(run.upserts)).toEqual(['a.md']);
    expect(await loadText(run.upserts[0]!)).toBe('bbbb');
  });

  it('reports deleted files, and a rename as a deletion plus an upsert with the same hash', async () => {
    writeFile(root, 'keep.md', 'keep');
    writeFile(root, 'gone.md', 'gone');
    writeFile(root, 'old-name.md', 'the same words');
    const store = new KnownStore();
    const connector = folder({ path: root });
    await store.sync(connector);
    const oldHash = store.docs.get('old-name.md')!.contentHash;

    rmSync(join(root, 'gone.md'));
    mkdirSync(join(root, 'moved'));
    renameSync(join(root, 'old-name.md'), join(root, 'moved', 'new-name.md'));
    const run = await store.sync(connector);
    expect(run.deletions.sort()).toEqual(['gone.md', 'old-name.md']);
    expect(ids(run.upserts)).toEqual(['moved/new-name.md']);
    expect(run.upserts[0]!.contentHash).toBe(oldHash);
    expect([...store.docs.keys()].sort()).toEqual(['keep.md', 'moved/new-name.md']);
  });

  /** A folder of a.md and sub/b.md, synced once. */
  async function syncedTwoFiles() {
    writeFile(root, 'a.md', 'a');
    writeFile(root, 'sub/b.md', 'b');
    const store = new KnownStore();
    const connector = folder({ path: root });
    await store.sync(connector);
    return { store, connector };
  }

  it('keeps the documents of a folder left empty (an unmounted drive) until a full sync removes them', async () => {
    const { store, connector } = await syncedTwoFiles();
    rmSync(join(root, 'a.md'));
    rmSync(join(root, 'sub'), { recursive: true });

    await expect(store.sync(connector)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message:
        `The folder ${root} is empty, so the 2 documents indexed from it were kept. ` +
        'If it is on a drive or network share, connect it and sync again. ' +
        'If you emptied it on purpose, run a full sync to remove them from the index.',
    });
    expect([...store.docs.keys()].sort()).toEqual(['a.md', 'sub/b.md']);

    const full = await store.sync(connector, { mode: 'full' });
    expect(full.deletions.sort()).toEqual(['a.md', 'sub/b.md']);
    expect(store.docs.size).toBe(0);
  });

  it('removes the documents of files deleted from a folder that still holds something', async () => {
    const { store, connector } = await syncedTwoFiles();
    rmSync(join(root, 'a.md'));
    rmSync(join(root, 'sub', 'b.md'));
    // An empty subfolder is something a person left there: the root is not an empty mount point.
    const run = await store.sync(connector);
    expect(run.deletions.sort()).toEqual(['a.md', 'sub/b.md']);
  });

  it('deletes documents whose files became excluded', async () => {
    writeFile(root, 'a.md', 'a');
    writeFile(root, 'b.txt', 'b');
    const store = new KnownStore();
    await store.sync(folder({ path: root }));
    const run = await store.sync(folder({ path: root, include: ['*.md'] }));
    expect(run.deletions).toEqual(['b.txt']);
    expect(run.upserts).toEqual([]);
  });

  it('yields batches of the configured size and reports progress', async () => {
    for (let i = 0; i < 25; i++) writeFile(root, `f${String(i).padStart(2, '0')}.md`, `file ${i}`);
    const run = await new KnownStore().sync(folder({ path: root }, { batchSize: 10, readConcurrency: 4 }));
    expect(run.upserts).toHaveLength(25);
    expect(run.batches.map((b) => b.upserts.length)).toEqual([10, 10, 5]);
    expect(run.progress.at(-1)).toMatchObject({ processed: 25, total: 25, message: 'Scanned 25 files' });
  });

  it('reports progress within a folder of many files, not only once the folder is read', async () => {
    for (let i = 0; i < 600; i++) writeFile(root, `page-${String(i).padStart(3, '0')}.md`, `page ${i}`);
    const run = await new KnownStore().sync(folder({ path: root }));
    const reading = run.progress.filter((p) => p.processed > 0 && p.processed < 600).map((p) => p.processed);
    // Every 250 files at the latest (sooner when reads are slow).
    expect(reading.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...reading)).toBeLessThanOrEqual(250);
  });

  it('counts one file as one file in its progress', async () => {
    writeFile(root, 'only.md', 'the one note');
    const run = await new KnownStore().sync(folder({ path: root }));
    expect(run.progress.map((p) => p.message)).toContain('Found 1 file');
    expect(run.progress.at(-1)).toMatchObject({ processed: 1, total: 1, message: 'Scanned 1 file' });
  });

  it('stops at `limit` without reporting deletions', async () => {
    for (let i = 0; i < 6; i++) writeFile(root, `f${i}.md`, `file ${i}`);
    const store = new KnownStore();
    store.docs.set('vanished.md', {
      externalId: 'vanished.md',
      contentHash: 'x',
      sizeBytes: 1,
      modifiedAt: 1,
      metadata: {},
    });
    const run = await store.sync(folder({ path: root }), { limit: 2 });
    expect(run.upserts).toHaveLength(2);
    expect(run.deletions).toEqual([]);
    expect(run.result.cursor).toBeNull();
  });

  it('can be cancelled mid-walk, and then reports no deletions', async () => {
    for (let d = 0; d < 5; d++) for (let i = 0; i < 10; i++) writeFile(root, `d${d}/f${i}.md`, `file ${d}/${i}`);
    const store = new KnownStore();
    store.docs.set('vanished.md', {
      externalId: 'vanished.md',
      contentHash: 'x',
      sizeBytes: 1,
      modifiedAt: 1,
      metadata: {},
    });
    const controller = new AbortController();
    const generator = folder({ path: root }, { batchSize: 5, readConcurrency: 2 }).sync({
      mode: 'full',
      cursor: null,
      signal: controller.signal,
      known: { get: (id) => store.docs.get(id), ids: () => store.docs.keys() },
      progress: () => {},
      stats: { apiCalls: 0, bytesTransferred: 0 },
    });
    const first = await generator.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ upserts: expect.any(Array), deletions: [] });
    controller.abort();
    const error = await generator.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(AppError.is(error, 'CANCELLED')).toBe(true);
  });

  it('syncs only the requested ids, reporting missing ones as deletions', async () => {
    writeFile(root, 'a.md', 'a');
    writeFile(root, 'b.md', 'b');
    const store = new KnownStore();
    const connector = folder({ path: root });
    await store.sync(connector);
    writeFile(root, 'a.md', 'a changed', new Date(Date.now() + 5000));
    writeFile(root, 'b.md', 'b changed', new Date(Date.now() + 5000));
    rmSync(join(root, 'b.md'));
    const run = await store.sync(connector, { onlyExternalIds: ['a.md', 'b.md', '../escape.md'] });
    expect(ids(run.upserts)).toEqual(['a.md']);
    expect(run.deletions).toEqual(['b.md']);
  });

  it('skips symlinks by default and survives link loops when following them', async () => {
    writeFile(root, 'real/a.md', 'a');
    symlinkSync(join(root, 'real'), join(root, 'link-to-real'));
    symlinkSync(root, join(root, 'real', 'loop-to-root'));
    const plain = await new KnownStore().sync(folder({ path: root }));
    expect(ids(plain.upserts)).toEqual(['real/a.md']);

    const following = await new KnownStore().sync(folder({ path: root, followSymlinks: true }));
    // Each real folder is walked once, under its real name when it has one in the tree.
    expect(ids(following.upserts)).toEqual(['real/a.md']);
  });

  it('keeps documents under a path it cannot read instead of deleting them', async () => {
    writeFile(root, 'a.md', 'a');
    const store = new KnownStore();
    await store.sync(folder({ path: root, followSymlinks: true }));
    // A link that points at itself exists but cannot be resolved (ELOOP): unreadable, not deleted.
    symlinkSync(join(root, 'selfie'), join(root, 'selfie'));
    store.docs.set('selfie', { externalId: 'selfie', contentHash: 'h', sizeBytes: 1, modifiedAt: 1, metadata: {} });
    const run = await store.sync(folder({ path: root, followSymlinks: true }));
    expect(run.deletions).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('keeps documents under an unreadable folder (non-root only)', async () => {
    writeFile(root, 'locked/a.md', 'a');
    const store = new KnownStore();
    await store.sync(folder({ path: root }));
    const { chmodSync } = await import('node:fs');
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const run = await store.sync(folder({ path: root }));
      expect(run.deletions).toEqual([]);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });

  it('ignores webhooks', async () => {
    const connector = localFolderConnectorFactory(connectorContext('local_folder', { path: root }));
    expect(connector.supportsWebhooks).toBe(false);
    const actions = await connector.handleWebhook({
      eventType: 'x',
      eventSource: 'x',
      eventId: null,
      payload: {},
      headers: {},
    });
    expect(actions).toEqual([{ kind: 'ignore', reason: expect.any(String) }]);
  });

  it('rejects settings a person must fix', () => {
    expect(() => folder({ path: 'relative/notes' })).toThrow(/absolute path/);
    expect(() => folder({})).toThrow(/Choose the folder/);
    expect(() => folder({ path: root, maxFileSizeBytes: -1 })).toThrow(/greater than zero/);
  });
});
