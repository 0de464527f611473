import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKindLabel } from '../../src/main/core/api/views';
import type { Core } from '../../src/main/core/app';
import { startTestCore, type TestCore } from '../helpers/test-core';

/** A core as the app runs it: folders watched, start-up work done. */
const startWatching = (dataDir: string) =>
  startTestCore({ model: false, dataDir, core: { watch: true, watchDebounceMs: 50 } });

async function titlesFor(core: Core, query: string): Promise<string[]> {
  const response = await core.search.search({ query, mode: 'keyword', limit: 10 });
  return response.groups.map((g) => g.document.title).sort();
}

/** Waits (up to 20 s) for `done`, letting the queue work between checks. */
async function until(core: Core, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await core.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('local folders at start-up', () => {
  const dirs: string[] = [];
  let running: TestCore | null = null;
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await running?.cleanup();
    running = null;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads what changed in a folder while Trove was closed', async () => {
    const dataDir = tempDir('trove-data-');
    const folder = tempDir('trove-notes-');
    writeFileSync(join(folder, 'old.md'), '# Old\n\nThe kwharborzq plan as it was.\n');
    running = await startWatching(dataDir);
    const { connector } = await running.core.connectors.add({
      type: 'local_folder',
      name: 'Notes',
      settings: { path: folder },
    });
    await until(running.core, async () => (await titlesFor(running!.core, 'kwharborzq')).length === 1);
    await running.cleanup();
    running = null;

    // Closed: a note added, one deleted. No watcher saw either.
    rmSync(join(folder, 'old.md'));
    writeFileSync(join(folder, 'new.md'), '# New\n\nThe kwharborzq plan as it is now.\n');

    running = await startWatching(dataDir);
    const { core } = running;
    await until(core, async () => (await titlesFor(core, 'kwharborzq')).join() === 'New');
    const runs = core.repos.syncLogs.list({ connectorId: connector.id, limit: 10 });
    expect(runs.map(runKindLabel)).toContain('At start');
  }, 60_000);

  it('keeps watching a folder whose sync failed, and reads it again when its files come back', async () => {
    const dataDir = tempDir('trove-data-');
    const folder = tempDir('trove-share-');
    writeFileSync(join(folder, 'plan.md'), '# Plan\n\nThe kwquarryzq plan.\n');
    running = await startWatching(dataDir);
    const { core } = running;
    const { connector } = await core.connectors.add({
      type: 'local_folder',
      name: 'Share',
      settings: { path: folder },
    });
    await until(core, async () => (await titlesFor(core, 'kwquarryzq')).length === 1);

    // The share is gone from its mount point: the folder is empty, the sync fails and keeps the document.
    rmSync(join(folder, 'plan.md'));
    await until(core, () => core.repos.connectors.get(connector.id)?.status === 'error');
    expect(await titlesFor(core, 'kwquarryzq')).toEqual(['Plan']);

    // It is back, with a new file: the watcher still sees the folder, and the source is active again.
    writeFileSync(join(folder, 'plan.md'), '# Plan\n\nThe kwquarryzq plan.\n');
    writeFileSync(join(folder, 'budget.md'), '# Budget\n\nWhat the kwquarryzq costs.\n');
    await until(core, async () => (await titlesFor(core, 'kwquarryzq')).length === 2);
    expect(core.repos.connectors.get(connector.id)?.status).toBe('active');
  }, 60_000);
});
