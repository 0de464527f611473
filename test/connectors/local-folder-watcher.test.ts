import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock';
import {
  FolderWatcher,
  type StartWatch,
  type StartWatchOptions,
} from '../../src/main/core/connectors/local-folder/folder-watcher';
import { localFolderSettingsSchema } from '../../src/main/core/connectors/local-folder/settings';
import { removeDir, tempDir } from './local-sync-harness';

/** A watch the test drives by hand. */
function fakeWatches() {
  const active = new Map<string, StartWatchOptions>();
  const start: StartWatch = async (root, options) => {
    active.set(root, options);
    return { close: async () => void active.delete(root) };
  };
  return { active, start };
}

const settings = (path: string, extra: Record<string, unknown> = {}) =>
  localFolderSettingsSchema.parse({ path, ...extra });

describe('FolderWatcher (debounce, with a manual clock)', () => {
  it('coalesces a burst of changes into one callback after the quiet period', async () => {
    const clock = new ManualClock();
    const calls: string[] = [];
    const watches = fakeWatches();
    const watcher = new FolderWatcher({ onChange: (id) => calls.push(id), clock, startWatch: watches.start });
    await watcher.watch('c1', settings('/data/notes'));
    const events = watches.active.get('/data/notes')!;

    for (let i = 0; i < 5; i++) {
      events.onEvent(`/data/notes/f${i}.md`, 'file');
      clock.advance(500);
    }
    expect(calls).toEqual([]); // still inside the 1500 ms quiet period of the last change
    clock.advance(1000);
    expect(calls).toEqual(['c1']);
    clock.advance(10_000);
    expect(calls).toEqual(['c1']);

    events.onEvent('/data/notes/again.md', 'file');
    clock.advance(1500);
    expect(calls).toEqual(['c1', 'c1']);
    await watcher.close();
  });

  it('still fires during an endless stream of changes, at most maxWait after it began', async () => {
    const clock = new ManualClock();
    const calls: string[] = [];
    const watches = fakeWatches();
    const watcher = new FolderWatcher({
      onChange: (id) => calls.push(id),
      clock,
      debounceMs: 1000,
      maxWaitMs: 5000,
      startWatch: watches.start,
    });
    await watcher.watch('c1', settings('/data/notes'));
    const events = watches.active.get('/data/notes')!;
    for (let t = 0; t < 5000; t += 500) {
      events.onEvent('/data/notes/log.md', 'file');
      clock.advance(500);
    }
    expect(calls).toEqual(['c1']);
    await watcher.close();
  });

  it('ignores excluded paths and files outside the include globs, but never folders by include', async () => {
    const watches = fakeWatches();
    const watcher = new FolderWatcher({ onChange: () => {}, clock: new ManualClock(), startWatch: watches.start });
    await watcher.watch('c1', settings('/data/notes', { include: ['*.md'] }));
    const { ignored } = watches.active.get('/data/notes')!;
    expect(ignored('/data/notes', 'directory')).toBe(false);
    expect(ignored('/data/notes/a.md', 'file')).toBe(false);
    expect(ignored('/data/notes/a.png', 'file')).toBe(true);
    expect(ignored('/data/notes/sub', 'unknown')).toBe(false);
    expect(ignored('/data/notes/.git', 'unknown')).toBe(true);
    expect(ignored('/data/notes/x/node_modules', 'directory')).toBe(true);
    expect(ignored('/data/notes/~$draft.md', 'file')).toBe(true);
    await watcher.close();
  });

  it('stops reporting after unwatch, and restarts cleanly with new settings', async () => {
    const clock = new ManualClock();
    const calls: string[] = [];
    const watches = fakeWatches();
    const watcher = new FolderWatcher({ onChange: (id) => calls.push(id), clock, startWatch: watches.start });
    await watcher.watch('c1', settings('/a'));
    const events = watches.active.get('/a')!;
    events.onEvent('/a/x.md', 'file');
    await watcher.unwatch('c1');
    clock.advance(5000);
    expect(calls).toEqual([]);
    expect(watches.active.size).toBe(0);

    // Two quick restarts: only the newest settings stay watched.
    await Promise.all([watcher.watch('c1', settings('/a')), watcher.watch('c1', settings('/b'))]);
    expect([...watches.active.keys()]).toEqual(['/b']);
    expect(watcher.isWatching('c1')).toBe(true);
    await watcher.close();
    expect(watches.active.size).toBe(0);
  });
});

describe('FolderWatcher (real chokidar)', () => {
  let root: string;
  let watcher: FolderWatcher | undefined;
  beforeEach(() => {
    root = tempDir('watch');
  });
  afterEach(async () => {
    await watcher?.close();
    removeDir(root);
  });

  it('turns several quick writes into one callback and ignores excluded folders', async () => {
    const calls: number[] = [];
    watcher = new FolderWatcher({ onChange: () => calls.push(Date.now()), debounceMs: 300 });
    mkdirSync(join(root, 'node_modules'));
    await watcher.watch('c1', settings(root));

    writeFileSync(join(root, 'node_modules', 'dep.js'), 'x');
    await new Promise((r) => setTimeout(r, 700));
    expect(calls).toHaveLength(0);

    for (let i = 0; i < 5; i++) {
      writeFileSync(join(root, `note-${i}.md`), `note ${i}`);
      await new Promise((r) => setTimeout(r, 40));
    }
    await waitFor(() => calls.length > 0, 3000);
    await new Promise((r) => setTimeout(r, 600));
    expect(calls).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for the watcher');
    await new Promise((r) => setTimeout(r, 25));
  }
}
