import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { TroveEvent } from '../../src/shared/contract';
import { STORAGE_FAULT_MESSAGES } from '../../src/shared/storage-errors';
import { createTroveApi } from '../../src/main/core/api/trove-api';
import { createLogger } from '../../src/main/core/logger';
import type { StorageState } from '../../src/main/core/services/storage-health';
import { mountSmallDisk, MB, type SmallDisk } from '../helpers/small-disk';
import { startTestCore, type TestCore } from '../helpers/test-core';

const FILES = 1500;
/** Room for the database once the model is on the disk. */
const ROOM = 12 * MB;

interface LogLine {
  level: string;
  scope: string;
  msg: string;
}

/**
 * The app's shape (desktop, `trove serve`): a long-running core whose data
 * disk fills up mid-ingest. It must pause with one clear error, stay quiet
 * while paused, and resume by itself once space is freed, losing nothing and
 * failing nothing.
 */
describe('a long-running core on a full disk', () => {
  let root: string;
  let disk: SmallDisk | null = null;
  let test: TestCore | undefined;

  afterAll(async () => {
    await test?.cleanup();
    disk?.unmount();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('pauses with exactly one clear error, then resumes by itself once space is freed', async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-disk-full-core-'));
    const dataDir = join(root, 'data');
    const source = join(root, 'notes');
    mkdirSync(dataDir);
    mkdirSync(source);
    for (let i = 0; i < FILES; i++) {
      const words = `Log ${i} of the lighthouse kwbeacon${i % 53}zq: lamp, lens, fog horn and keeper's rota. `;
      writeFileSync(
        join(source, `log-${i}.md`),
        `# Log ${i}\n\n${words.repeat(25)}\n\n## Weather\n\n${words.repeat(15)}\n`,
      );
    }
    disk = mountSmallDisk(dataDir, 200 * MB);
    const lines: LogLine[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as LogLine) });
    test = await startTestCore({ dataDir, core: { logger } });
    const { core } = test;
    const handle = createTroveApi(core, { version: '0.0.0-test' });
    const { api } = handle;
    const uiEvents: TroveEvent[] = [];
    handle.onEvent((event) => {
      if (event.type === 'storage.changed' || event.type === 'notification.created') uiEvents.push(event);
    });
    const states: StorageState[] = [];
    core.events.on('storage', (state) => states.push(state));

    // The model is in place; leave the database ROOM more to grow.
    if (disk) disk.resize(disk.usedBytes() + ROOM);
    else core.db.pragma(`max_page_count = ${(core.db.pragma('page_count', { simple: true }) as number) + ROOM / 4096}`);

    await api.addLocalFolder({ path: source, name: 'Lighthouse' });
    await vi.waitFor(() => expect(core.storage.state.status).toBe('full'), { timeout: 60_000, interval: 50 });

    // Paused: a few seconds pass with no retry loop and no log flood.
    const linesAtPause = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(core.storage.state.status).toBe('full');
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.msg)).toEqual([
      'writes to the data disk fail: background work is paused until they succeed again',
    ]);
    expect(lines.length - linesAtPause, JSON.stringify(lines.slice(linesAtPause))).toBeLessThanOrEqual(2);
    expect(states).toEqual([{ status: 'full', message: STORAGE_FAULT_MESSAGES.full, since: expect.any(Number) }]);
    expect(await api.getStorageStatus({})).toMatchObject({ status: 'full', message: STORAGE_FAULT_MESSAGES.full });
    expect(core.queue.counts().byStatus.failed).toBe(0);
    expect(core.repos.documents.countsByStatus().error).toBe(0);

    // Free space: nothing else is done; the core notices on its own.
    if (disk) disk.resize(400 * MB);
    else core.db.pragma('max_page_count = 1073741823');
    await vi.waitFor(() => expect(core.storage.state.status).toBe('ok'), { timeout: 60_000, interval: 100 });
    await core.idle();

    const docs = core.repos.documents.countsByStatus();
    expect(docs).toMatchObject({ completed: FILES, pending: 0, processing: 0, error: 0 });
    const one = (sql: string): number => core.db.prepare(sql).pluck().get() as number;
    const chunks = one(`SELECT COUNT(*) FROM imported_doc_chunks`);
    const space = core.repos.spaces.getActive()!;
    expect(chunks).toBeGreaterThanOrEqual(FILES);
    expect(one(`SELECT COUNT(*) FROM chunks_fts`)).toBe(chunks);
    expect(one(`SELECT COUNT(*) FROM vec_chunks_${space.id}`)).toBe(chunks);
    expect(core.queue.counts().byStatus).toMatchObject({ failed: 0, queued: 0, running: 0 });
    // No attempt was counted against a job because of the disk.
    expect(
      one(`SELECT COUNT(*) FROM jobs, json_each(jobs.error_history) AS e
           WHERE json_extract(e.value, '$.code') IN ('DISK_FULL', 'DISK_IO')`),
    ).toBe(0);

    // One pause, one resume, for the core and for the UI; one entry in the feed.
    expect(states.map((s) => s.status)).toEqual(['full', 'ok']);
    const storageEvents = uiEvents.filter((e) => e.type === 'storage.changed');
    expect(storageEvents.map((e) => e.storage.status)).toEqual(['full', 'ok']);
    const notices = core.repos.events.list({ limit: 500 }).filter((n) => n.type === 'storage.resumed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toMatch(/^Trove paused for \d+ s: the disk holding its data was full$/);
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(core.repos.connectors.list().map((c) => c.status)).toEqual(['active']);
    handle.close();
  }, 240_000);
});
