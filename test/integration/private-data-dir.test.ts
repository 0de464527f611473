import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/core/api/dispatch';
import { createTroveApi } from '../../src/main/core/api/trove-api';
import { prepareDataDir, uploadsDir } from '../../src/main/core/data-dir';
import { silentLogger } from '../../src/main/core/logger';
import { startServeServer } from '../../src/main/serve';
import { createHttpClient } from '../../src/renderer/api/transports';
import { runTrove } from '../cli/run-trove';
import { startTestCore, type TestCore } from '../helpers/test-core';

const NOBODY = 65534;

/** Mode bits (permissions only) of everything under `root`, links not followed, by path relative to it. */
function modesUnder(root: string): Map<string, { kind: 'dir' | 'file' | 'link'; mode: number }> {
  const found = new Map<string, { kind: 'dir' | 'file' | 'link'; mode: number }>();
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      const kind = info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'file';
      found.set(relative(root, path), { kind, mode: info.mode & 0o7777 });
      if (kind === 'dir') visit(path);
    }
  };
  visit(root);
  return found;
}

const modeOf = (path: string): number => statSync(path).mode & 0o7777;

/**
 * What another local user (nobody) manages to do with `paths`: "ok" or the
 * error code of reading a file or listing a folder. As root, a permission
 * test proves nothing; this runs in a child process with nobody's uid.
 */
function asAnotherUser(paths: string[]): string[] {
  const script = `
    const fs = require('node:fs');
    const out = JSON.parse(process.argv[1]).map((p) => {
      try { fs.statSync(p).isDirectory() ? fs.readdirSync(p) : fs.readFileSync(p); return 'ok'; }
      catch (e) { return e.code; }
    });
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(paths)], { uid: NOBODY, gid: NOBODY });
  if (run.status !== 0) throw new Error(`the unprivileged child failed: ${run.stderr.toString()}`);
  return JSON.parse(run.stdout.toString()) as string[];
}

/** A folder every user may enter, like a home folder: the data folder's own mode is all that protects it. */
function openParent(prefix: string): string {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(parent, 0o755);
  return parent;
}

let previousUmask: number;
beforeAll(() => {
  // The usual umask: with 077 everything would be private whatever Trove did.
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
});

describe('a fresh data folder', () => {
  let parent: string;
  let dataDir: string;
  let t: TestCore;
  let uploaded: string;

  beforeAll(async () => {
    parent = openParent('trove-private-');
    dataDir = join(parent, 'Trove');
    const inbox = join(parent, 'inbox');
    mkdirSync(inbox, { mode: 0o755 });
    writeFileSync(join(inbox, 'diary.md'), '# Diary\n\nThe kwsecretzq plans for Tuesday.\n', { mode: 0o644 });

    // The tiny model is downloaded through the real download path.
    t = await startTestCore({ dataDir });
    // A file dropped into the browser mode, uploaded over real HTTP.
    const rendererDir = join(parent, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Trove</title>');
    const api = createTroveApi(t.core, { version: 'test' });
    const server = await startServeServer({
      dispatcher: createDispatcher(api.api, silentLogger),
      onEvent: api.onEvent,
      rendererDir,
      uploadDir: uploadsDir(dataDir),
    });
    try {
      const client = createHttpClient({ baseUrl: server.origin, token: server.token });
      const upload = await client.uploadFiles!([new File(['Dropped kwdroppedzq notes.'], 'dropped.md')]);
      if (!upload.ok) throw new Error(upload.error.message);
      uploaded = upload.value.paths[0]!;
    } finally {
      await server.close();
      api.close();
    }
    // A real sync: the import connector reads both files, chunks and embeds them.
    await t.core.connectors.importPaths([join(inbox, 'diary.md'), uploaded]);
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('indexed the documents it protects', async () => {
    const found = await t.core.search.search({ query: 'kwsecretzq', mode: 'keyword', limit: 5 });
    expect(found.groups.map((g) => g.document.fileName ?? g.document.title)).toEqual(['diary.md']);
    expect(t.core.repos.documents.countsByStatus()).toMatchObject({ completed: 2, error: 0 });
  });

  it('has an owner-only folder and owner-only files everywhere in it, database journals, model and upload included', () => {
    // The core is still open, so the WAL and shared-memory files exist.
    expect(modeOf(dataDir)).toBe(0o700);
    const entries = modesUnder(dataDir);
    const names = [...entries.keys()];
    expect(names).toEqual(expect.arrayContaining(['trove.db', 'trove.db-wal', 'trove.db-shm']));
    expect(names.some((n) => n.startsWith('models/') && n.endsWith('verified.json'))).toBe(true);
    expect(names.some((n) => n.startsWith('models/') && n.endsWith('.onnx'))).toBe(true);
    expect(names).toContain(relative(dataDir, uploaded));
    const wrong = [...entries].filter(([, e]) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600));
    expect(wrong).toEqual([]);
  });

  it('keeps another local user out', () => {
    const database = join(dataDir, 'trove.db');
    expect(asAnotherUser([dataDir, database, uploaded])).toEqual(['EACCES', 'EACCES', 'EACCES']);
    // The files are private on their own too, not only behind the folder.
    chmodSync(dataDir, 0o755);
    try {
      expect(asAnotherUser([database, join(dataDir, 'trove.db-wal'), uploaded])).toEqual([
        'EACCES',
        'EACCES',
        'EACCES',
      ]);
    } finally {
      chmodSync(dataDir, 0o700);
    }
  });
});

describe('a data folder an older Trove left readable', () => {
  let parent: string;
  let dataDir: string;
  let outside: string;
  let before: ReturnType<typeof modesUnder>;
  let readableBefore: string[];
  let status: Awaited<ReturnType<typeof runTrove>>;

  beforeAll(async () => {
    parent = openParent('trove-old-');
    dataDir = join(parent, 'Trove');
    // Fill it for real (database, model, an imported document), then give every
    // file and folder the modes an older Trove created them with.
    const inbox = join(parent, 'inbox');
    mkdirSync(inbox);
    writeFileSync(join(inbox, 'letter.md'), '# Letter\n\nkwletterzq\n');
    const t = await startTestCore({ dataDir });
    await t.core.connectors.importPaths([join(inbox, 'letter.md')]);
    await t.core.idle();
    await t.cleanup();
    mkdirSync(join(uploadsDir(dataDir), 'batch-0001'), { recursive: true });
    writeFileSync(join(uploadsDir(dataDir), 'batch-0001', 'old-upload.md'), 'kwuploadzq');
    // Not Trove's: another program's file in the folder (the desktop app's
    // browser profile lives there) and links pointing out of it.
    writeFileSync(join(dataDir, 'Preferences'), '{}');
    outside = join(parent, 'outside.txt');
    writeFileSync(outside, 'not Trove’s');
    symlinkSync(outside, join(dataDir, 'models', 'link-out.txt'));
    symlinkSync(parent, join(uploadsDir(dataDir), 'link-out-dir'));
    const opened = (dir: string): void => {
      chmodSync(dir, 0o755);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const info = lstatSync(path);
        if (info.isSymbolicLink()) continue;
        if (info.isDirectory()) opened(path);
        else chmodSync(path, 0o644);
      }
    };
    opened(dataDir);
    before = modesUnder(dataDir);
    readableBefore = asAnotherUser([join(dataDir, 'trove.db')]);

    // Any start fixes it: here `trove status`, through the real CLI.
    status = await runTrove(dataDir, ['status']);
  }, 120_000);

  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('was readable by everyone before the start', () => {
    expect(readableBefore).toEqual(['ok']);
    expect(before.get('trove.db')?.mode).toBe(0o644);
  });

  it('is owner-only after one start, Trove’s files included', () => {
    expect(status.code, status.stderr).toBe(0);
    expect(modeOf(dataDir)).toBe(0o700);
    const trove = [...modesUnder(dataDir)].filter(([name, e]) => name !== 'Preferences' && e.kind !== 'link');
    expect(trove.length).toBeGreaterThan(5);
    expect(trove.filter(([, e]) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600))).toEqual([]);
    expect(asAnotherUser([dataDir, join(dataDir, 'trove.db')])).toEqual(['EACCES', 'EACCES']);
  });

  it('follows no link out of the folder and leaves files that are not Trove’s alone', () => {
    expect(modeOf(outside)).toBe(0o644);
    expect(modeOf(parent)).toBe(0o755);
    expect(modeOf(join(dataDir, 'Preferences'))).toBe(0o644);
  });

  it('works once: a folder already private is not walked again', () => {
    writeFileSync(join(dataDir, 'trove.db-journal'), '', { mode: 0o644 });
    try {
      // One stat of the folder and nothing else: the stray file keeps its mode.
      expect(prepareDataDir(dataDir)).toBe(0);
      expect(modeOf(join(dataDir, 'trove.db-journal'))).toBe(0o644);
    } finally {
      rmSync(join(dataDir, 'trove.db-journal'));
    }
  });

  it('leaves the mode of a shared (sticky) folder used as the data folder alone but makes Trove’s files in it private', () => {
    const shared = join(parent, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    writeFileSync(join(shared, 'trove.db'), '', { mode: 0o644 });
    writeFileSync(join(shared, 'someone-elses.txt'), '', { mode: 0o644 });
    expect(prepareDataDir(shared)).toBe(1);
    expect(modeOf(shared)).toBe(0o1777);
    expect(modeOf(join(shared, 'trove.db'))).toBe(0o600);
    expect(modeOf(join(shared, 'someone-elses.txt'))).toBe(0o644);
  });
});
