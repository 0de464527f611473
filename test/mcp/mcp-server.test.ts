import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrove } from '../cli/run-trove';
import { call, refusal, startMcpClient, type Result } from './mcp-client';

/** `trove mcp` as an assistant runs it: a child process driven by the SDK's client over stdio. */
describe('trove mcp', () => {
  let dataDir: string;
  let folder: string;
  let client: Client;
  let stderr: () => string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-mcp-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-mcp-folder-'));
    writeFileSync(
      join(folder, 'sourdough.md'),
      '# Baking\n\n## Sourdough starter\n\nFeed the zqstarter twice a day with rye flour and water.\n',
    );
    writeFileSync(join(folder, 'rye.md'), '# Rye bread\n\nRye flour makes a dense zqstarter loaf; bake it slowly.\n');
    for (const topic of ['bicycle', 'taxes', 'piano', 'printer']) {
      writeFileSync(join(folder, `${topic}.txt`), `All about the ${topic}: how it works and what it costs.\n`);
    }
    const added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Kitchen']);
    expect(added.code, added.stderr).toBe(0);

    ({ client, stderr } = await startMcpClient(dataDir));
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('introduces itself and lists its read-only tools', async () => {
    expect(client.getServerVersion()?.name).toBe('trove');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_document', 'list_sources', 'more_like_this', 'search']);
    for (const tool of tools) expect(tool.annotations?.readOnlyHint).toBe(true);
  });

  it('searches and cites passages with title, source, path, heading path and snippet', async () => {
    const found = await call<{ mode: string; results: Result[] }>(client, 'search', {
      query: 'zqstarter',
      mode: 'keyword',
    });
    expect(found.mode).toBe('keyword');
    const titles = found.results.map((r) => r.title);
    expect(titles.sort()).toEqual(['rye.md', 'sourdough.md']);
    const sourdough = found.results.find((r) => r.title === 'sourdough.md')!;
    expect(sourdough.source).toMatchObject({ name: 'Kitchen', type: 'local_folder' });
    expect(sourdough.path).toBe(join(folder, 'sourdough.md'));
    expect(sourdough.citation).toMatch(new RegExp(`^trove:${sourdough.documentId}#\\d+$`));
    expect(sourdough.passages[0]!.headingPath).toContain('Sourdough starter');
    expect(sourdough.passages[0]!.snippet).toContain('**zqstarter**');
    expect(sourdough.copies).toEqual([]);
  });

  it('falls back to keyword search by meaning when no model is ready, and says so', async () => {
    const found = await call<{ mode: string; notice: string | null; results: Result[] }>(client, 'search', {
      query: 'zqstarter',
      mode: 'semantic',
    });
    expect(found.mode).toBe('keyword');
    expect(found.notice).toMatch(/keyword/i);
    expect(found.results.length).toBe(2);
  });

  it('reads a cited passage and the whole document', async () => {
    const found = await call<{ results: Result[] }>(client, 'search', { query: 'zqstarter twice', mode: 'keyword' });
    const hit = found.results.find((r) => r.title === 'sourdough.md')!;
    const passage = await call<{ title: string; passages: Array<{ citation: string; text: string }>; text: string }>(
      client,
      'get_document',
      { ref: hit.citation },
    );
    expect(passage.title).toBe('sourdough.md');
    expect(passage.passages.map((p) => p.citation)).toEqual([hit.citation]);
    expect(passage.text).toContain('Feed the zqstarter twice a day');

    const whole = await call<{ chunkCount: number; text: string; nextChunk: number | null }>(client, 'get_document', {
      ref: hit.documentId,
    });
    expect(whole.text).toContain('rye flour and water');
    expect(whole.nextChunk).toBeNull();
  });

  it('finds documents like one, never that one', async () => {
    const found = await call<{ results: Result[] }>(client, 'search', { query: 'zqstarter', mode: 'keyword' });
    const rye = found.results.find((r) => r.title === 'rye.md')!;
    const similar = await call<{ basis: string; results: Result[] }>(client, 'more_like_this', { ref: rye.citation });
    expect(similar.basis).toBe('terms');
    expect(similar.results.map((r) => r.title)).toContain('sourdough.md');
    expect(similar.results.map((r) => r.documentId)).not.toContain(rye.documentId);
  });

  it('lists sources with counts and last sync, and no settings', async () => {
    const { sources } = await call<{ sources: Array<Record<string, unknown>> }>(client, 'list_sources', {});
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ name: 'Kitchen', type: 'local_folder', documents: { completed: 6 } });
    expect(sources[0]!.lastSyncAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(sources[0]).not.toHaveProperty('settings');
  });

  it('offers documents as resources and reads them', async () => {
    const { resources } = await client.listResources();
    expect(resources).toHaveLength(6);
    const sourdough = resources.find((r) => r.name === 'sourdough.md')!;
    expect(sourdough.uri).toMatch(/^trove:\/\/document\//);
    const read = await client.readResource({ uri: sourdough.uri });
    expect((read.contents[0] as { text: string }).text).toContain('Feed the zqstarter twice a day');
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates[0]!.uriTemplate).toBe('trove://document/{id}');
  });

  it('refuses to read anything outside the index', async () => {
    for (const ref of [
      '/etc/passwd',
      'file:///etc/passwd',
      '../../etc/passwd',
      join(folder, 'sourdough.md'),
      'trove:nope#0',
    ]) {
      expect(await refusal(client, 'get_document', { ref })).toMatch(/not a document in the Trove index/);
    }
    expect(await refusal(client, 'more_like_this', { ref: '/etc/passwd' })).toMatch(
      /not a document in the Trove index/,
    );
    await expect(client.readResource({ uri: 'file:///etc/passwd' })).rejects.toThrow(
      /Only documents of the Trove index/,
    );
    await expect(client.readResource({ uri: 'trove://document/..%2F..%2Fetc%2Fpasswd' })).rejects.toThrow(
      /not a document in the Trove index/,
    );
    // Input is validated: an empty reference or an unknown mode never reaches the index.
    expect(await refusal(client, 'get_document', { ref: '' })).toMatch(/Input validation error/);
    expect(await refusal(client, 'search', { query: 'x', mode: 'telepathy' })).toMatch(/Input validation error/);
  });

  it('sees documents indexed meanwhile by another trove process on the same data folder', async () => {
    writeFileSync(join(folder, 'focaccia.md'), '# Focaccia\n\nOlive oil and zqfocaccia dimples.\n');
    const synced = await runTrove(dataDir, ['sync']);
    expect(synced.code, synced.stderr).toBe(0);
    const found = await call<{ results: Result[] }>(client, 'search', { query: 'zqfocaccia', mode: 'keyword' });
    expect(found.results.map((r) => r.title)).toEqual(['focaccia.md']);
    expect(stderr()).not.toMatch(/error/i);
  });
});

/** A document kept in two places, as the app shows it: one result naming the other copy. */
describe('trove mcp with copies of a document', () => {
  it('lists a copy with the result it folds into, not as a result of its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trove-mcp-copies-data-'));
    const folder = mkdtempSync(join(tmpdir(), 'trove-mcp-copies-'));
    const plan = '# Garden plan\n\nSow the zqbeans in April along the south fence, then water them every evening.\n';
    mkdirSync(join(folder, 'backup'));
    writeFileSync(join(folder, 'plan.md'), plan);
    writeFileSync(join(folder, 'backup', 'plan.md'), plan);
    const added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Garden']);
    expect(added.code, added.stderr).toBe(0);
    const { client } = await startMcpClient(dataDir);
    try {
      const found = await call<{ results: Result[] }>(client, 'search', { query: 'zqbeans', mode: 'keyword' });
      expect(found.results).toHaveLength(1);
      const paths = [found.results[0]!.path, ...found.results[0]!.copies.map((c) => c.path)];
      expect(paths.sort()).toEqual([join(folder, 'backup', 'plan.md'), join(folder, 'plan.md')]);
    } finally {
      await client.close();
      for (const dir of [dataDir, folder]) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
