import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGeminiEmbedder, type GeminiEmbedderOptions } from '../../src/main/core/embeddings/gemini-embedder';
import type { Logger } from '../../src/main/core/logger';
import { startFakeGeminiServer, type FakeGeminiServer } from '../fakes/gemini-server';

const KEY = 'AIzaSy-test-key-123456';

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** Collects every log line so tests can check the key never appears. */
function recordingLogger(lines: string[]): Logger {
  const log = (message: string, fields?: Record<string, unknown>): void =>
    void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

describe('Gemini embedder against a fake Gemini API', () => {
  let server: FakeGeminiServer;
  let logLines: string[];
  const make = (overrides: Partial<GeminiEmbedderOptions> = {}) =>
    createGeminiEmbedder({
      apiKey: async () => KEY,
      baseUrl: server.baseUrl,
      baseDelayMs: 10,
      logger: recordingLogger(logLines),
      ...overrides,
    });

  beforeEach(async () => {
    server = await startFakeGeminiServer({ apiKey: KEY });
    logLines = [];
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends at most 100 texts per request, as RETRIEVAL_DOCUMENT, with the key header and reduced dimensionality', async () => {
    const embedder = make();
    const texts = Array.from({ length: 250 }, (_, i) => `chunk number ${i}`);
    const vectors = await embedder.embedDocuments(texts);

    expect(server.requests.map((r) => r.texts.length)).toEqual([100, 100, 50]);
    expect(server.requests.every((r) => r.method === 'batchEmbedContents' && r.model === 'gemini-embedding-001')).toBe(
      true,
    );
    expect(server.requests.every((r) => r.apiKey === KEY)).toBe(true);
    expect(new Set(server.requests.flatMap((r) => r.taskTypes))).toEqual(new Set(['RETRIEVAL_DOCUMENT']));
    expect(new Set(server.requests.flatMap((r) => r.outputDimensionality))).toEqual(new Set([768]));
    expect(server.requests.flatMap((r) => r.texts)).toEqual(texts);

    expect(vectors).toHaveLength(250);
    expect(embedder.space).toEqual({ provider: 'gemini', model: 'gemini-embedding-001', dimensions: 768 });
    for (const v of vectors) {
      expect(v).toHaveLength(768);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    // Same direction as what the server sent (truncated, then re-normalised).
    const raw = server.fullVector('chunk number 7').slice(0, 768);
    const rawNorm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
    expect(rawNorm).not.toBeCloseTo(1, 2);
    expect(vectors[7]![0]).toBeCloseTo(raw[0]! / rawNorm, 5);
  });

  it('embeds queries as RETRIEVAL_QUERY with the configured model and dimensionality', async () => {
    const embedder = make({ model: 'text-embedding-004', dimensions: 256 });
    const v = await embedder.embedQuery('what is boundary layer suction?');
    expect(v).toHaveLength(256);
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      model: 'text-embedding-004',
      taskTypes: ['RETRIEVAL_QUERY'],
      outputDimensionality: [256],
      texts: ['what is boundary layer suction?'],
    });
  });

  it('retries 429s after the delay the server asks for, then succeeds', async () => {
    server.failWith429(2, 0.3);
    const started = Date.now();
    const vectors = await make().embedDocuments(['a', 'b']);
    expect(vectors).toHaveLength(2);
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    const [first, second, third] = server.requests.map((r) => r.at);
    expect(second! - first!).toBeGreaterThanOrEqual(280);
    expect(third! - second!).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('retries 500s with exponential backoff, then gives up with UNAVAILABLE', async () => {
    server.failWith500(2);
    expect(await make().embedDocuments(['x'])).toHaveLength(1);
    expect(server.requests.map((r) => r.status)).toEqual([500, 500, 200]);

    server.requests.length = 0;
    server.failWith500(10);
    await expect(make({ maxAttempts: 3 }).embedDocuments(['x'])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(server.requests).toHaveLength(3);
  });

  it('reports RATE_LIMITED when 429s outlast the attempts', async () => {
    server.failWith429(5, 0.01);
    await expect(make({ maxAttempts: 2 }).embedDocuments(['x'])).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(server.requests).toHaveLength(2);
  });

  it('asks for a key in Settings when none is stored, without calling the API', async () => {
    const embedder = make({ apiKey: async () => null });
    await expect(embedder.embedDocuments(['x'])).rejects.toMatchObject({
      code: 'CONNECTOR_AUTH',
      message: expect.stringContaining('Add your Gemini API key in Settings'),
    });
    expect(server.requests).toHaveLength(0);
  });

  it('turns a rejected key into CONNECTOR_AUTH without retrying and never leaks the key', async () => {
    const wrongKey = 'AIzaSy-wrong-key-987654';
    const err = (await make({ apiKey: async () => wrongKey })
      .embedDocuments(['x'])
      .then(
        () => null,
        (e: unknown) => e,
      )) as Error;
    expect(err).toMatchObject({
      code: 'CONNECTOR_AUTH',
      message: expect.stringContaining('Check the key in Settings'),
    });
    expect(server.requests).toHaveLength(1);
    expect(JSON.stringify({ message: err.message, stack: err.stack })).not.toContain(wrongKey);
    expect(logLines.join('\n')).not.toContain(wrongKey);
  });

  it('stops waiting between retries when cancelled', async () => {
    server.failWith429(1, 30);
    const controller = new AbortController();
    const running = make().embedDocuments(['x'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(server.requests).toHaveLength(1);
  });
});
