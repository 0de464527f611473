import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/main/core/clock';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { probeStorage } from '../../src/main/core/db/storage-probe';
import { createLogger } from '../../src/main/core/logger';
import { StorageHealth, type StorageState } from '../../src/main/core/services/storage-health';
import { z } from 'zod';
import { createHarness, settle, type QueueHarness } from './helpers';

const JOBS = 40;
/** Pages each job's row needs (a 20,000-byte blob on 4 KiB pages). */
const PAGES_PER_JOB = 5;

/**
 * The queue on a real database that fills up: SQLite's max_page_count makes
 * writes fail with a real SQLITE_FULL, the pause gate is the core's
 * StorageHealth with its real probe, and time is a manual clock so "no hot
 * loop" is counted, not timed.
 */
describe('the queue on a full disk', () => {
  let dir: string;
  let db: Database;
  let clock: ManualClock;
  let health: StorageHealth;
  let h: QueueHarness;
  let logLines: Array<{ level: string; msg: string }>;
  let probes: number;
  let states: StorageState[];

  const cap = (extraPages: number): void => {
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + extraPages}`);
  };
  /** Advances the manual clock in steps, letting timers, I/O and promises run between them. */
  const pass = async (ms: number, step = 1000): Promise<void> => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      await settle(5);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trove-queue-full-'));
    db = openDatabase(join(dir, 'trove.db'));
    db.exec('CREATE TABLE written (job TEXT PRIMARY KEY, data BLOB NOT NULL)');
    clock = new ManualClock();
    logLines = [];
    const logger = createLogger({
      level: 'info',
      write: (line) => logLines.push(JSON.parse(line) as { level: string; msg: string }),
    });
    probes = 0;
    health = new StorageHealth({
      clock,
      logger,
      probe: async () => {
        probes++;
        await probeStorage({ db, dataDir: dir, headroomBytes: 0 });
      },
    });
    states = [];
    health.on('change', (state) => states.push(state));
    h = createHarness({ db, clock, logger, pauseGate: health, concurrency: 8 });
    h.queue.register('write', {
      schema: z.object({ n: z.number() }),
      handler: async (_payload, ctx) => {
        await new Promise((resolve) => setImmediate(resolve));
        db.prepare('INSERT OR REPLACE INTO written VALUES (?, randomblob(20000))').run(ctx.job.id);
      },
    });
  });

  afterEach(async () => {
    health.close();
    await h.queue.stop({ deadlineMs: 0 });
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pauses without a retry loop or a log flood, gives the attempts back, and resumes when writes work', async () => {
    const ids = Array.from({ length: JOBS }, (_, n) => h.queue.enqueue('write', { n }).id);
    cap(10 * PAGES_PER_JOB);
    const claims = vi.spyOn(h.store, 'claim');
    h.queue.start();
    await vi.waitFor(() => expect(health.paused).toBe(true), { timeout: 10_000, interval: 5 });
    await settle(20);

    // Ten minutes of a full disk: no claims, no ticks' writes, one log line, probes on a backoff.
    const claimsAtPause = claims.mock.calls.length;
    await pass(10 * 60_000);
    expect(claims.mock.calls.length).toBe(claimsAtPause);
    expect(logLines.filter((l) => l.level === 'error' || l.level === 'warn').map((l) => l.msg)).toEqual([
      'writes to the data disk fail: background work is paused until they succeed again',
    ]);
    // 1, 2, 4, 8, 16 s, then every 30 s: about 24 probes in ten minutes, not thousands.
    expect(probes).toBeGreaterThan(15);
    expect(probes).toBeLessThan(30);
    expect(states.map((s) => s.status)).toEqual(['full']);
    expect(h.events.filter((e) => e.name === 'failed' || e.name === 'retrying')).toEqual([]);

    // Space is freed: the next probe succeeds and the queue carries on by itself.
    db.pragma('max_page_count = 1073741823');
    // Within one probe interval (30 s) of clock time; the probe's real fsync may need a few real moments.
    await pass(30_000);
    await vi.waitFor(
      async () => {
        await pass(10, 10);
        expect(states.map((s) => s.status)).toEqual(['full', 'ok']);
      },
      { timeout: 10_000, interval: 10 },
    );
    await vi.waitFor(
      async () => {
        await pass(1000, 250);
        expect(h.queue.counts().byStatus.succeeded).toBe(JOBS);
      },
      { timeout: 20_000, interval: 10 },
    );
    // Every job ran to success on its first counted attempt; none failed or retried because of the disk.
    for (const id of ids) expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 1, errorHistory: [] });
    expect(db.prepare('SELECT COUNT(*) FROM written').pluck().get()).toBe(JOBS);
    expect(h.events.filter((e) => e.name === 'failed' || e.name === 'retrying')).toEqual([]);
  });

  it('stops at once while paused, instead of waiting out its deadline for jobs that cannot write', async () => {
    for (let n = 0; n < JOBS; n++) h.queue.enqueue('write', { n });
    cap(2 * PAGES_PER_JOB);
    h.queue.start();
    await vi.waitFor(() => expect(health.paused).toBe(true), { timeout: 10_000, interval: 5 });
    await settle(20);
    // The manual clock never reaches the deadline: this resolves only if stop does not wait for it.
    await h.queue.stop({ deadlineMs: 60_000 });
    expect(h.queue.runningCount).toBe(0);
    expect(h.queue.counts().byStatus.failed).toBe(0);
  });
});
