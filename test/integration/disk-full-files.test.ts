import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/core/api/dispatch';
import { createTroveApi } from '../../src/main/core/api/trove-api';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import { runTrove } from '../cli/run-trove';
import { silentLogger } from '../../src/main/core/logger';
import { startServeServer } from '../../src/main/serve';
import { STORAGE_FAULT_MESSAGES } from '../../src/shared/storage-errors';
import { mountSmallDisk, MB, type SmallDisk } from '../helpers/small-disk';
import { startTestCore, startTinyModelHub, type TestCore } from '../helpers/test-core';
import type { FakeModelHub } from '../fakes/model-hub-server';

/**
 * Files Trove writes into its data folder besides the database, on a disk
 * that is too small for them: a model download and a browser-mode upload
 * must fail with the clear message, not ENOSPC or "internal error". Needs a
 * real small disk (a tmpfs, so root); skipped otherwise.
 */
describe('file writes on a full data disk', () => {
  let root: string;
  let dataDir: string;
  let disk: SmallDisk | null;
  let test: TestCore | undefined;
  let hub: FakeModelHub | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'trove-disk-full-files-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    // The empty database and its WAL fit; a 13 MB model or a 6 MB upload does not.
    disk = mountSmallDisk(dataDir, 4 * MB);
  });

  afterEach(async () => {
    await test?.cleanup();
    test = undefined;
    await hub?.close();
    disk?.unmount();
    rmSync(root, { recursive: true, force: true });
  });

  it('a model download that fills the disk stops with the clear message', async (ctx) => {
    if (!disk) return ctx.skip('mounting a small disk needs root');
    hub = await startTinyModelHub();
    const run = await runTrove(dataDir, ['models', 'download', TINY_TEST_MODEL.id], {
      TROVE_MODEL_HUB_URL: hub.baseUrl,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`trove: ${STORAGE_FAULT_MESSAGES.full}`);
    expect(run.stderr).not.toMatch(/ENOSPC/);
  });

  it('an upload that fills the disk answers with the clear message and leaves no partial file', async (ctx) => {
    if (!disk) return ctx.skip('mounting a small disk needs root');
    test = await startTestCore({ dataDir, model: false });
    const uploadDir = join(dataDir, 'uploads');
    const server = await startServeServer({
      dispatcher: createDispatcher(createTroveApi(test.core, { version: '0.0.0-test' }).api, silentLogger),
      onEvent: () => () => {},
      rendererDir: join(root, 'renderer'),
      uploadDir,
    });
    try {
      const response = await fetch(`${server.origin}/api/upload?batch=batch0001&name=big.pdf`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${server.token}` },
        body: Buffer.alloc(6 * MB, 7),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        ok: false,
        error: { code: 'DISK_FULL', message: STORAGE_FAULT_MESSAGES.full },
      });
      expect(readdirSync(join(uploadDir, 'batch0001'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
