import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile } from '../../src/main/core/data-dir';
import { holdWriteLock } from '../helpers/lock-holder';
import { contractClient } from '../helpers/contract-client';
import { startRealApp } from '../helpers/real-app';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The app beside another Trove process on the same library (the CLI, or a
 * second app), which may hold the write lock longer than the app waits.
 */
describe('the app beside the CLI on one library', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('indexes a change made while another process held the library longer than the app waits', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'trove-locked-app-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const app = await startRealApp({ busyTimeoutMs: 300, watchDebounceMs: 100 });
    cleanups.push(() => app.close());
    const call = contractClient(app);
    const folder = path.join(root, 'Letters');
    await mkdir(folder);
    await writeFile(path.join(folder, 'first.md'), '# First\n\nThe kwfirstzq letter.\n');
    const { connector } = await call.addLocalFolder({ path: folder, name: 'Letters' });
    await app.core.idle();

    const HOLD_MS = 3000;
    const lock = await holdWriteLock(databaseFile(app.dataDir), HOLD_MS);
    await writeFile(path.join(folder, 'second.md'), '# Second\n\nThe kwsecondzq letter.\n');
    await lock.released;
    await until(
      'the letter written during the lock',
      async () => (await call.search({ query: 'kwsecondzq', mode: 'keyword' })).groups.length > 0,
    );
    // The sync that met the lock waited its turn: no failed run, no attempt spent on it.
    const history = await call.listSyncLogs({ connectorId: connector.id, limit: 10 });
    expect(history.items.map((l) => l.status)).not.toContain('failed');
    const syncs = app.core.queue.list({ type: 'sync_connector' });
    expect(syncs.every((job) => job.status === 'succeeded' && job.attempts === 1)).toBe(true);
  }, 60_000);
});
