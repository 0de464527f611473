import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import type { FakeModelHub } from '../fakes/model-hub-server';
import { runTrove } from '../cli/run-trove';
import { startTinyModelHub } from '../helpers/test-core';
import { call, startMcpClient, type Result } from './mcp-client';

/** With the library's local model downloaded and in use, trove mcp searches by meaning too. */
describe('trove mcp with a local model', () => {
  let root: string;
  let hub: FakeModelHub;
  let client: Client;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-mcp-semantic-'));
    const dataDir = join(root, 'data');
    const folder = join(root, 'notes');
    hub = await startTinyModelHub();
    const env = { TROVE_MODEL_HUB_URL: hub.baseUrl };
    for (const args of [
      ['models', 'download', TINY_TEST_MODEL.id],
      ['models', 'use', TINY_TEST_MODEL.id],
    ]) {
      const run = await runTrove(dataDir, args, env);
      expect(run.code, run.stderr).toBe(0);
    }
    mkdirSync(folder);
    writeFileSync(join(folder, 'harbour.md'), '# Harbour\n\nTide tables and sea walls of the zqharbour.\n');
    writeFileSync(join(folder, 'dredging.md'), '# Dredging\n\nDredging the zqharbour channel at low tide.\n');
    writeFileSync(join(folder, 'piano.md'), '# Piano\n\nTuning the upright piano before the concert.\n');
    const added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Notes'], env);
    expect(added.code, added.stderr).toBe(0);
    ({ client } = await startMcpClient(dataDir));
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await hub?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('runs semantic and hybrid searches with the model, without a notice', async () => {
    for (const mode of ['semantic', 'hybrid']) {
      const found = await call<{ mode: string; notice: string | null; results: Result[] }>(client, 'search', {
        query: 'zqharbour tide',
        mode,
      });
      expect(found.mode).toBe(mode);
      expect(found.notice).toBeNull();
      expect(found.results.map((r) => r.title)).toContain('harbour.md');
    }
  });

  it('finds documents like one by their vectors', async () => {
    const found = await call<{ results: Result[] }>(client, 'search', { query: 'zqharbour', mode: 'keyword' });
    const harbour = found.results.find((r) => r.title === 'harbour.md')!;
    const similar = await call<{ basis: string; results: Result[] }>(client, 'more_like_this', { ref: harbour.uri });
    expect(similar.basis).toBe('vectors');
    expect(similar.results.map((r) => r.documentId)).not.toContain(harbour.documentId);
  });
});
