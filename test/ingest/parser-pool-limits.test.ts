import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { failureStatus, ParseFailure, ParserPool, type ParserPoolOptions } from '../../src/main/core/ingest';
import type { PoolReply } from '../../src/main/core/ingest/parse-protocol';
import { startParseWorker } from '../../src/main/core/ingest/worker-entry';
import { spawnWorker } from '../../src/main/core/workers/spawn-worker';
import { makePdf } from '../fixtures/documents';
import { makeHiddenFlateBombPdf, makeLongPdf } from '../fixtures/hostile-files';

const text = (value: string): DocumentContent => ({ kind: 'text', text: value, mimeType: 'text/html' });
const pdf = (bytes: Uint8Array, fileName = 'file.pdf'): DocumentContent => ({
  kind: 'bytes',
  bytes,
  fileName,
  mimeType: 'application/pdf',
});

async function outcome(promise: Promise<{ text: string }>): Promise<string> {
  return promise.then(
    (parsed) => `ok: ${parsed.text}`,
    (error: unknown) =>
      error instanceof ParseFailure ? `${error.reason}: ${error.message}` : `threw: ${String(error)}`,
  );
}

describe('ParserPool limits: memory outside the heap, and time', () => {
  const pools: ParserPool[] = [];
  const pool = (options: ParserPoolOptions): ParserPool => {
    const created = new ParserPool(options);
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  const hogPool = (options: ParserPoolOptions = {}): ParserPool =>
    pool({
      inlineMaxBytes: 0,
      maxWorkerMemoryMb: 192,
      timeoutMs: 20_000,
      startWorker: (workerOptions) => spawnWorker('helpers/hog.worker', import.meta.url, workerOptions),
      ...options,
    });

  it('stops a worker whose Buffers pass the limit while it reports, fails that document only, and goes on', async () => {
    const parser = hogPool({ size: 1 });
    const hog = outcome(parser.parse(text('HOG-STEPS')));
    const behind = outcome(parser.parse(text('queued behind')));
    expect(await hog).toBe(
      'out_of_memory: Reading this file used more than 192.0 MB of memory, so Trove stopped it; the file may expand far beyond its size on disk (a decompression bomb) or be damaged.',
    );
    expect(failureStatus('out_of_memory')).toBe('error');
    expect(await behind).toBe('ok: QUEUED BEHIND');
    expect(await outcome(parser.parse(text('after')))).toBe('ok: AFTER');
  });

  it('stops a worker that allocates inside one synchronous call and cannot report', async () => {
    const parser = hogPool({ size: 1 });
    const started = performance.now();
    expect(await outcome(parser.parse(text('HOG-BLOCK')))).toMatch(/^out_of_memory: Reading this file used more than/);
    // Stopped by the watchdog, long before the 20 s time limit.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await outcome(parser.parse(text('after')))).toBe('ok: AFTER');
  });

  it('with two busy workers, runs a suspect again alone: only the one that allocates fails', async () => {
    const parser = hogPool({ size: 2 });
    await Promise.all([parser.parse(text('warm one')), parser.parse(text('warm two'))]);
    // The innocent job goes silent first, so the other's growth is counted
    // against it too; it must come through on its solo run.
    const innocent = outcome(parser.parse(text('SPIN 1500')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const hog = outcome(parser.parse(text('HOG-BLOCK')));
    expect(await hog).toMatch(/^out_of_memory: /);
    expect(await innocent).toBe('ok: SPIN 1500');
  });

  it('stops pdfjs inflating a bomb the stream check cannot see, and parses the next PDF', async () => {
    const parser = pool({ size: 1, maxWorkerMemoryMb: 320, timeoutMs: 60_000 });
    const hidden = makeHiddenFlateBombPdf();
    expect(hidden.length).toBeLessThan(4 * 1024 * 1024);
    expect(await outcome(parser.parse(pdf(hidden, 'hidden.pdf')))).toMatch(
      /^out_of_memory: Reading this file used more than 320\.0 MB of memory/,
    );
    expect(await outcome(parser.parse(pdf(await makePdf(['Plain page.']))))).toBe('ok: Plain page.');
  }, 90_000);

  it('lets a job run past the time limit while it reports progress, up to maxJobMs', async () => {
    // 25 steps of 100 ms: 2.5 s in all, never near 1 s without progress
    // (margins wide enough for a loaded machine).
    const steps = `STEPS ${Array(25).fill(100).join(',')}`;
    const moving = hogPool({ size: 1, timeoutMs: 1000 });
    expect(await outcome(moving.parse(text(steps)))).toBe(`ok: ${steps}`);
    const stalled = hogPool({ size: 1, timeoutMs: 1000 });
    expect(await outcome(stalled.parse(text('STEPS 100,100,3000')))).toBe(
      'timeout: Reading this file made no progress for 1 s, so Trove stopped; it may be malformed.',
    );
    const capped = hogPool({ size: 1, timeoutMs: 1000, maxJobMs: 1500 });
    expect(await outcome(capped.parse(text(steps)))).toBe(
      'timeout: Reading this file took longer than 1.5 s, so Trove stopped; it may be very large or malformed.',
    );
  });

  it('hears progress from the real parse worker page by page', async () => {
    let progress = 0;
    const parser = pool({
      size: 1,
      startWorker: (options) => {
        const worker = startParseWorker(options);
        worker.on('message', (reply: PoolReply) => {
          if (reply.type === 'progress') progress++;
        });
        return worker;
      },
    });
    const parsed = await parser.parse(pdf(await makeLongPdf(200)));
    expect(parsed.pages).toHaveLength(200);
    expect(progress).toBeGreaterThan(0);
  });
});
