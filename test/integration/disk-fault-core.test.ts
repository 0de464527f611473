import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TroveEvent } from '../../src/shared/contract';
import { STORAGE_FAULT_MESSAGES, type StorageFault } from '../../src/shared/storage-errors';
import type { Core } from '../../src/main/core/app';
import { createTroveApi } from '../../src/main/core/api/trove-api';
import { createLogger } from '../../src/main/core/logger';
import type { StorageState } from '../../src/main/core/services/storage-health';
import { mountFaultDisk } from '../helpers/fault-disk';
import { mountSmallDisk, MB } from '../helpers/small-disk';
import { startTestCore, type TestCore } from '../helpers/test-core';

const FILES = 1500;

interface LogLine {
  level: string;
  scope: string;
  msg: string;
}

/** How one kind of disk trouble is brought about, for real, and taken away again. */
interface DiskTrouble {
  fault: StorageFault;
  /** The folder the core keeps its data in. */
  dataDir: string;
  /** Called once the model is downloaded and the folder is added: the trouble starts now or soon. */
  start(core: Core): Promise<void>;
  /** Frees space / repairs the disk; the core must notice by itself. */
  end(core: Core): void;
  release(): Promise<void>;
}

let root: string;
let test: TestCore | undefined;
let trouble: DiskTrouble | null = null;

afterEach(async () => {
  await test?.cleanup();
  test = undefined;
  await trouble?.release();
  trouble = null;
  if (root) rmSync(root, { recursive: true, force: true });
});

function writeNotes(source: string): void {
  mkdirSync(source);
  for (let i = 0; i < FILES; i++) {
    const words = `Log ${i} of the lighthouse kwbeacon${i % 53}zq: lamp, lens, fog horn and keeper's rota. `;
    writeFileSync(
      join(source, `log-${i}.md`),
      `# Log ${i}\n\n${words.repeat(25)}\n\n## Weather\n\n${words.repeat(15)}\n`,
    );
  }
}

/** A data folder on a 200 MB tmpfs shrunk to leave 12 MB once the model is in (or a page cap without mount). */
function fullDisk(): DiskTrouble {
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  const disk = mountSmallDisk(dataDir, 200 * MB);
  const room = 12 * MB;
  return {
    fault: 'full',
    dataDir,
    async start(core) {
      if (disk) disk.resize(disk.usedBytes() + room);
      else
        core.db.pragma(`max_page_count = ${(core.db.pragma('page_count', { simple: true }) as number) + room / 4096}`);
    },
    end(core) {
      if (disk) disk.resize(400 * MB);
      else core.db.pragma('max_page_count = 1073741823');
    },
    async release() {
      disk?.unmount();
    },
  };
}

/** A data folder on the fault file system, whose writes start failing with EIO once some documents are indexed. */
async function failingDisk(): Promise<DiskTrouble | null> {
  const disk = await mountFaultDisk(root);
  if (!disk) return null;
  return {
    fault: 'io',
    dataDir: disk.dir,
    async start(core) {
      await vi.waitFor(() => expect(core.repos.documents.countsByStatus().completed).toBeGreaterThan(50), {
        timeout: 60_000,
        interval: 20,
      });
      disk.failWrites(true);
    },
    end() {
      disk.failWrites(false);
    },
    release: () => disk.unmount(),
  };
}

/**
 * The app's shape (desktop, `trove serve`): a long-running core whose data
 * disk fills up, or starts failing, mid-ingest. It must pause with one clear
 * error, stay quiet while paused, and resume by itself once the disk is
 * fixed, losing nothing and failing nothing.
 */
async function pausesAndResumes(): Promise<void> {
  const { fault, dataDir } = trouble!;
  const source = join(root, 'notes');
  writeNotes(source);
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as LogLine) });
  test = await startTestCore({ dataDir, core: { logger } });
  const { core } = test;
  const handle = createTroveApi(core, { version: '0.0.0-test' });
  const { api } = handle;
  const uiEvents: TroveEvent[] = [];
  handle.onEvent((event) => {
    if (event.type === 'storage.changed') uiEvents.push(event);
  });
  const states: StorageState[] = [];
  core.events.on('storage', (state) => states.push(state));

  await api.addLocalFolder({ path: source, name: 'Lighthouse' });
  await trouble!.start(core);
  await vi.waitFor(() => expect(core.storage.state.status).toBe(fault), { timeout: 60_000, interval: 50 });

  // Paused: a few seconds pass with no retry loop and no log flood.
  const linesAtPause = lines.length;
  await new Promise((resolve) => setTimeout(resolve, 4000));
  expect(core.storage.state.status).toBe(fault);
  expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
    'writes to the data disk fail: background work is paused until they succeed again',
  ]);
  expect(lines.length - linesAtPause, JSON.stringify(lines.slice(linesAtPause))).toBeLessThanOrEqual(2);
  expect(states).toEqual([{ status: fault, message: STORAGE_FAULT_MESSAGES[fault], since: expect.any(Number) }]);
  expect(await api.getStorageStatus({})).toMatchObject({ status: fault, message: STORAGE_FAULT_MESSAGES[fault] });
  expect(core.queue.counts().byStatus.failed).toBe(0);
  expect(core.repos.documents.countsByStatus().error).toBe(0);

  // The disk is fixed: nothing else is done; the core notices on its own.
  trouble!.end(core);
  await vi.waitFor(() => expect(core.storage.state.status).toBe('ok'), { timeout: 60_000, interval: 100 });
  await core.idle();

  expect(core.repos.documents.countsByStatus()).toMatchObject({
    completed: FILES,
    pending: 0,
    processing: 0,
    error: 0,
  });
  const one = (sql: string): number => core.db.prepare(sql).pluck().get() as number;
  const chunks = one(`SELECT COUNT(*) FROM imported_doc_chunks`);
  expect(chunks).toBeGreaterThanOrEqual(FILES);
  expect(one(`SELECT COUNT(*) FROM chunks_fts`)).toBe(chunks);
  expect(one(`SELECT COUNT(*) FROM vec_chunks_${core.repos.spaces.getActive()!.id}`)).toBe(chunks);
  expect(core.queue.counts().byStatus).toMatchObject({ failed: 0, queued: 0, running: 0 });
  // No attempt was counted against a job because of the disk.
  expect(
    one(`SELECT COUNT(*) FROM jobs, json_each(jobs.error_history) AS e
         WHERE json_extract(e.value, '$.code') IN ('DISK_FULL', 'DISK_IO')`),
  ).toBe(0);
  expect(core.repos.connectors.list().map((c) => c.status)).toEqual(['active']);

  // One pause, one resume, for the core and for the UI; one entry in the feed.
  expect(states.map((s) => s.status)).toEqual([fault, 'ok']);
  expect(uiEvents.map((e) => e.type === 'storage.changed' && e.storage.status)).toEqual([fault, 'ok']);
  const notices = core.repos.events.list({ limit: 500 }).filter((n) => n.type === 'storage.resumed');
  expect(notices).toHaveLength(1);
  const why = fault === 'full' ? 'was full' : 'reported I/O errors';
  expect(notices[0]!.title).toMatch(new RegExp(`^Trove paused for \\d+ s: the disk holding its data ${why}$`));
  expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
  handle.close();
}

describe('a long-running core whose data disk gets into trouble', () => {
  it('full disk: pauses with exactly one clear error, then resumes by itself once space is freed', async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-disk-fault-core-'));
    trouble = fullDisk();
    await pausesAndResumes();
  }, 240_000);

  it('failing disk (real EIO): pauses with exactly one clear error, then resumes by itself once writes work', async (ctx) => {
    root = mkdtempSync(join(tmpdir(), 'trove-disk-fault-core-'));
    trouble = await failingDisk();
    if (!trouble) return ctx.skip('the fault file system needs root, /dev/fuse and python3-fusepy');
    await pausesAndResumes();
  }, 240_000);
});
