import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../scripts/make-test-model';
import { createLocalEmbedder } from '../../src/main/core/embeddings/local-embedder';
import { TINY_TEST_MODEL, type ModelManifest } from '../../src/main/core/embeddings/manifests';
import type { DownloadProgress } from '../../src/main/core/embeddings/model-download';
import { sha256File } from '../../src/main/core/embeddings/model-files';
import { ModelManager } from '../../src/main/core/embeddings/model-manager';
import { startFakeModelHub, type FakeModelHub } from '../fakes/model-hub-server';

const ID = TINY_TEST_MODEL.id;
const ONNX = 'onnx/model.onnx';

describe('ModelManager against a fake model hub', () => {
  let sourceDir: string;
  let hub: FakeModelHub;
  let dataDir: string;
  let manager: ModelManager;

  beforeAll(async () => {
    sourceDir = await ensureTestModel();
  });
  beforeEach(async () => {
    hub = await startFakeModelHub();
    await hub.addRepo(TINY_TEST_MODEL.repo, TINY_TEST_MODEL.revision, sourceDir, TINY_TEST_MODEL.files);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'trove-models-'));
    manager = new ModelManager({ dataDir, hubBaseUrl: hub.baseUrl });
  });
  afterEach(async () => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('downloads every file with progress, verifies it, and then loads with the hub gone', async () => {
    expect(await manager.status(ID)).toBe('not_downloaded');
    const events: DownloadProgress[] = [];
    const running = manager.download(ID, { onProgress: (p) => events.push(p) });
    expect(await manager.status(ID)).toBe('downloading');
    await running;
    expect(await manager.status(ID)).toBe('ready');

    expect(hub.requests.map((r) => r.path)).toEqual(
      TINY_TEST_MODEL.files.map((f) => `/${TINY_TEST_MODEL.repo}/resolve/${TINY_TEST_MODEL.revision}/${f}`),
    );
    for (const [index, file] of TINY_TEST_MODEL.files.entries()) {
      const size = (await stat(path.join(sourceDir, file))).size;
      const mine = events.filter((e) => e.file === file);
      expect(mine[0]).toMatchObject({ receivedBytes: 0, totalBytes: size, fileIndex: index, fileCount: 4 });
      expect(mine.at(-1)).toMatchObject({ receivedBytes: size, totalBytes: size });
      const received = mine.map((e) => e.receivedBytes);
      expect([...received].sort((a, b) => a - b)).toEqual(received);
    }

    const dir = manager.modelDir(ID);
    expect(dir).toBe(path.join(dataDir, 'models', 'trove', 'tiny-test-model'));
    const record = JSON.parse(await readFile(path.join(dir, 'verified.json'), 'utf8')) as {
      files: Record<string, { size: number; sha256: string }>;
    };
    expect(record.files[ONNX]!.sha256).toBe(await sha256File(path.join(sourceDir, ONNX)));

    await hub.close();
    const downloaded = await manager.openEmbedder(ID);
    const original = await createLocalEmbedder({ modelDir: sourceDir, manifest: TINY_TEST_MODEL, batchSize: 7 });
    const [a] = await downloaded.embedDocuments(['wind tunnel measurements']);
    const [b] = await original.embedDocuments(['wind tunnel measurements']);
    await downloaded.close?.();
    await original.close?.();
    expect(Array.from(a!)).toEqual(Array.from(b!));
    hub = await startFakeModelHub(); // for afterEach
  });

  it('reports a cut-off download, keeps the bytes, and resumes with a Range request', async () => {
    hub.injectFault(ONNX, { kind: 'truncate', afterBytes: 1_000_000 });
    await expect(manager.download(ID)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await manager.status(ID)).toBe('not_downloaded');

    await manager.download(ID);
    expect(await manager.status(ID)).toBe('ready');
    const resumed = hub.requests.filter((r) => r.path.endsWith(ONNX)).at(-1)!;
    expect(resumed.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(resumed.range!)![0])).toBeGreaterThan(0);
    expect(await sha256File(path.join(manager.modelDir(ID), ONNX))).toBe(await sha256File(path.join(sourceDir, ONNX)));
  });

  it('fails with NOT_FOUND when the hub has no such file', async () => {
    hub.injectFault('tokenizer.json', { kind: 'not-found' });
    await expect(manager.download(ID)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('tokenizer.json'),
    });
    expect(await manager.status(ID)).toBe('not_downloaded');
    await expect(manager.openEmbedder(ID)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('detects a truncated or edited file as corrupt, refuses to load it, and repairs only that file', async () => {
    await manager.download(ID);
    const onnxPath = path.join(manager.modelDir(ID), ONNX);
    const good = await readFile(onnxPath);

    await writeFile(onnxPath, good.subarray(0, good.length - 10));
    expect(await manager.status(ID)).toBe('failed');
    await expect(manager.openEmbedder(ID)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(ONNX),
    });

    const edited = Buffer.from(good);
    edited[edited.length - 1] = edited[edited.length - 1]! ^ 0xff;
    await writeFile(onnxPath, edited);
    expect(await manager.status(ID)).toBe('failed');

    const before = hub.requests.length;
    await manager.download(ID);
    expect(hub.requests.slice(before).map((r) => r.path.split('/resolve/main/')[1])).toEqual([ONNX]);
    expect(await manager.status(ID)).toBe('ready');
  });

  it('rejects bytes that do not match a published sha256', async () => {
    const pinned: ModelManifest = {
      ...TINY_TEST_MODEL,
      id: 'trove/tiny-pinned',
      sha256: { 'config.json': await sha256File(path.join(sourceDir, 'config.json')) },
    };
    const pinnedManager = new ModelManager({ dataDir, hubBaseUrl: hub.baseUrl, extraManifests: [pinned] });
    const real = await readFile(path.join(sourceDir, 'config.json'));
    hub.injectFault('config.json', { kind: 'replace', body: Buffer.alloc(real.length, 0x20) });
    await expect(pinnedManager.download(pinned.id)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('checksum'),
    });
    expect(await pinnedManager.status(pinned.id)).toBe('not_downloaded');
    await pinnedManager.download(pinned.id);
    expect(await pinnedManager.status(pinned.id)).toBe('ready');
  });

  it('stops on cancel with CANCELLED and refuses a second concurrent download', async () => {
    const controller = new AbortController();
    const running = manager.download(ID, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file === ONNX) controller.abort();
      },
    });
    await expect(manager.download(ID)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await manager.status(ID)).toBe('not_downloaded');
  });
});
