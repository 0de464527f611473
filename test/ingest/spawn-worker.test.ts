import { once } from 'node:events';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWorkerEntry, spawnWorker, WORKER_YOUNG_GENERATION_MB } from '../../src/main/core/workers/spawn-worker';

describe('spawnWorker', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('runs a TypeScript worker (with extensionless TS imports) from source under vitest', async () => {
    const worker = spawnWorker('helpers/echo.worker', import.meta.url);
    try {
      worker.postMessage('hello');
      const [reply] = (await once(worker, 'message')) as [string];
      expect(reply).toBe('ts-worker:hello');
    } finally {
      await worker.terminate();
    }
  });

  it('keeps the young generation of each thread small unless the caller sets its own limits', async () => {
    const plain = spawnWorker('helpers/echo.worker', import.meta.url);
    const own = spawnWorker('helpers/echo.worker', import.meta.url, {
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 12 },
    });
    const capped = spawnWorker('helpers/echo.worker', import.meta.url, {
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    try {
      await Promise.all([plain, own, capped].map((w) => once(w, 'online')));
      expect(plain.resourceLimits?.maxYoungGenerationSizeMb).toBe(WORKER_YOUNG_GENERATION_MB);
      expect(own.resourceLimits).toMatchObject({ maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 12 });
      expect(capped.resourceLimits).toMatchObject({
        maxOldGenerationSizeMb: 256,
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      });
    } finally {
      await Promise.all([plain, own, capped].map((w) => w.terminate()));
    }
  });

  it('loads the bundled .js entry next to a bundled caller, or one folder up for shared chunks', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trove-bundle-'));
    dirs.push(out);
    mkdirSync(join(out, 'chunks'));
    writeFileSync(
      join(out, 'echo.worker.js'),
      "import { parentPort } from 'node:worker_threads'; parentPort.on('message', (v) => parentPort.postMessage('js:' + v));",
    );
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const mainUrl = pathToFileURL(join(out, 'index.js'));
    const chunkUrl = pathToFileURL(join(out, 'chunks', 'ingest-abc.js'));
    expect(resolveWorkerEntry('echo.worker', mainUrl)).toEqual({
      url: pathToFileURL(join(out, 'echo.worker.js')),
      mode: 'bundle',
    });
    expect(resolveWorkerEntry('echo.worker', chunkUrl).url.href).toBe(pathToFileURL(join(out, 'echo.worker.js')).href);

    const worker = spawnWorker('echo.worker', chunkUrl);
    try {
      worker.postMessage('hi');
      const [reply] = (await once(worker, 'message')) as [string];
      expect(reply).toBe('js:hi');
    } finally {
      await worker.terminate();
    }
  });
});
