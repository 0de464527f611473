import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TroveEvent } from '../../src/shared/contract';
import { databaseFile } from '../../src/main/core/data-dir';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import { runTrove, startTrove } from '../cli/run-trove';
import { startTinyModelHub } from '../helpers/test-core';
import { flapWriteLock, holdWriteLock } from '../helpers/lock-holder';
import { contractClient } from '../helpers/contract-client';
import { startRealApp } from '../helpers/real-app';

const NOTES = 1500;

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
 * The app is running (it lives in the tray) when the person types `trove
 * add-folder` in a terminal. Before, the app never heard of the folder
 * until it was restarted: its screens did not list it, and files saved
 * there afterwards were not indexed.
 */
describe('the app beside the CLI on one library', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('shows a folder the CLI adds, and its sync as it goes, then keeps the folder indexed', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'trove-beside-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const app = await startRealApp({ outsideWritesPollMs: 200 });
    cleanups.push(() => app.close());
    const call = contractClient(app);
    const events: TroveEvent[] = [];
    const stopListening = app.onEvent((e) => events.push(e));
    cleanups.push(async () => stopListening());

    const folder = path.join(root, 'Field notes');
    await mkdir(folder);
    for (let i = 0; i < NOTES; i++) {
      await writeFile(path.join(folder, `note-${i}.md`), `# Note ${i}\n\nThe kwfield${i}zq count was ${i}.\n`);
    }
    expect((await call.listConnectors({})).items).toEqual([]);

    const cli = startTrove(app.dataDir, ['add-folder', folder]);
    cleanups.push(() => cli.done);
    // While the CLI works, the app lists the folder and reports the CLI's run under way.
    const listed = await until('the folder in the app', async () =>
      (await call.listConnectors({})).items.find((c) => c.name === 'Field notes'),
    );
    const underWay = await until('the run under way', async () =>
      (await call.activityOverview({})).runs.find((r) => r.connectorId === listed.id),
    );
    expect(underWay.connectorName).toBe('Field notes');

    const finished = await cli.done;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(new RegExp(`Done: ${NOTES} indexed, 0 skipped, 0 failed`));
    // The app indexed some of them: the CLI's last progress line counts those too (it stopped short before).
    const lines = finished.stderr.split('\n').filter((line) => line.startsWith('Indexing'));
    expect(lines.at(-1)).toMatch(new RegExp(`100%  ${NOTES}/${NOTES} documents indexed`));

    // Saved after the CLI is gone: the app's own watch of the folder indexes it.
    await writeFile(path.join(folder, 'late.md'), '# Late entry\n\nA kwlatezq heron at dusk.\n');
    await until(
      'the new note found',
      async () => (await call.search({ query: 'kwlatezq', mode: 'keyword' })).groups.length > 0,
    );
    const history = await call.listSyncLogs({ connectorId: listed.id, limit: 10 });
    expect(history.items.map((l) => l.status)).not.toContain('failed');
    // The screens were told to look again: nothing else announces another process's work.
    expect(events.some((e) => e.type === 'library.changed')).toBe(true);
  }, 120_000);

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

  it('embeds with the model the CLI chose while it runs', async () => {
    const hub = await startTinyModelHub();
    cleanups.push(() => hub.close());
    const app = await startRealApp({ modelHubUrl: hub.baseUrl, outsideWritesPollMs: 200 });
    cleanups.push(() => app.close());
    // The files are here; the app still uses its default model, which is not.
    await app.core.embeddings.download(TINY_TEST_MODEL.id);
    expect(app.core.embeddings.state().status).toBe('needs_model');

    const cli = await runTrove(app.dataDir, ['models', 'use', TINY_TEST_MODEL.id]);
    expect(cli.code, cli.stderr).toBe(0);
    const state = await until('the chosen model loaded in the app', async () => {
      const now = app.core.embeddings.state();
      return now.status === 'ready' ? now : undefined;
    });
    expect(state.config).toEqual({ provider: 'local', modelId: TINY_TEST_MODEL.id });
    expect(app.core.embeddings.current()?.space.model).toBe(TINY_TEST_MODEL.id);
  }, 60_000);

  // Held longer than the app waits (100 ms), then free, over and over: listing, storing, indexing and
  // closing the run each meet it wherever they are. Two rhythms, so the boundaries they meet differ.
  it.each([
    { holdMs: 300, freeMs: 300 },
    { holdMs: 120, freeMs: 40 },
  ])(
    'indexes a whole folder while another process takes the library on and off (%o)',
    async (rhythm) => {
      const root = await mkdtemp(path.join(tmpdir(), 'trove-flap-'));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      const app = await startRealApp({ busyTimeoutMs: 100, watch: false });
      cleanups.push(() => app.close());
      const call = contractClient(app);
      const folder = path.join(root, 'Ledger');
      await mkdir(folder);
      const FILES = 800;
      for (let i = 0; i < FILES; i++) {
        await writeFile(path.join(folder, `entry-${i}.md`), `# Entry ${i}\n\nThe kwentry${i}zq was paid.\n`);
      }
      const { connector } = await call.addLocalFolder({ path: folder, name: 'Ledger' });
      const flapper = flapWriteLock(databaseFile(app.dataDir), { ...rhythm, forMs: 12_000 });
      const times = await flapper.stopped;
      await app.core.idle();

      expect(times).toBeGreaterThan(10);
      const [folderCounts] = (await call.listConnectors({})).items.map((c) => c.documentCounts);
      expect(folderCounts).toMatchObject({ completed: FILES, error: 0, pending: 0, processing: 0 });
      const history = await call.listSyncLogs({ connectorId: connector.id, limit: 10 });
      expect(history.items.map((l) => l.status)).toEqual(['success']);
      expect(app.core.queue.list({ status: ['failed'] })).toEqual([]);
      for (const i of [0, FILES - 1]) {
        expect((await call.search({ query: `kwentry${i}zq`, mode: 'keyword' })).groups).toHaveLength(1);
      }
    },
    120_000,
  );
});
