import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../scripts/make-test-model';
import { createLocalEmbedder } from '../../src/main/core/embeddings/local-embedder';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import type { Embedder } from '../../src/main/core/embeddings/types';

const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto');

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

describe('local embedder on the tiny model (transformers.js + onnxruntime-node, in a worker)', () => {
  let embedder: Embedder;
  let modelDir: string;

  beforeAll(async () => {
    modelDir = await ensureTestModel();
    embedder = await createLocalEmbedder({ modelDir, manifest: TINY_TEST_MODEL });
  });
  afterAll(async () => {
    await embedder?.close?.();
  });

  it('produces one unit-length vector of the manifest dimension per text, in order', async () => {
    const texts = ['Supersonic flow over a wing', 'banana bread recipe', '', 'x'.repeat(5000)];
    const vectors = await embedder.embedDocuments(texts);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
    expect(embedder.space).toEqual({ provider: 'local', model: 'trove/tiny-test-model', dimensions: 384 });
    // Order preserved even though the worker batches by length.
    const [first] = await embedder.embedDocuments([texts[0]!]);
    expect(Array.from(vectors[0]!)).toEqual(Array.from(first!));
  });

  it("equals the textbook mean pooling of the model output over the tokenizer's ids", async () => {
    // The worker's fast paths (memoised WordPiece, hand-built batches, column-wise
    // pooling) must agree with the plain definition. The tiny model is a lookup
    // table (Gather), so the reference needs no inference: read the table from
    // the ONNX file, tokenise with transformers.js, average the rows, normalise.
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(modelDir) + path.sep;
    const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir));
    const model = onnx.ModelProto.decode(await readFile(path.join(modelDir, 'onnx', 'model.onnx')));
    const init = model.graph!.initializer![0]!;
    const raw = init.rawData!;
    const table = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const dims = Number(init.dims![1]);
    const texts = ['Pressure distribution on a swept wing', 'short', 'heat transfer and boundary layers '.repeat(20)];
    const ours = await embedder.embedDocuments(texts);
    texts.forEach((text, i) => {
      const ids = tokenizer.encode(`${TINY_TEST_MODEL.documentPrefix}${text}`);
      const mean = new Float64Array(dims);
      for (const id of ids) for (let d = 0; d < dims; d++) mean[d]! += table[id * dims + d]!;
      const norm = Math.sqrt(mean.reduce((sum, x) => sum + x * x, 0));
      for (let d = 0; d < dims; d++) expect(ours[i]![d]).toBeCloseTo(mean[d]! / norm, 5);
    });
  });

  it('is deterministic: the same text gives the same vector in any batch, batch size or session', async () => {
    const texts = ['Boundary layer transition on a heated plate', 'short', 'a much longer text about '.repeat(30)];
    const together = await embedder.embedDocuments(texts);
    const other = await createLocalEmbedder({ modelDir, manifest: TINY_TEST_MODEL, batchSize: 1 });
    const oneByOne = await other.embedDocuments(texts);
    await other.close?.();
    for (let i = 0; i < texts.length; i++) {
      const [alone] = await embedder.embedDocuments([texts[i]!]);
      expect(Array.from(together[i]!)).toEqual(Array.from(alone!));
      // Padding differs between these runs; pooling must ignore it.
      for (let d = 0; d < 384; d++) expect(oneByOne[i]![d]).toBeCloseTo(together[i]![d]!, 6);
    }
  });

  it('refuses a damaged model or one whose size disagrees with its manifest, and keeps working', async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), 'trove-broken-model-'));
    try {
      await cp(modelDir, broken, { recursive: true });
      const onnx = path.join(broken, 'onnx', 'model.onnx');
      const bytes = await readFile(onnx);
      await writeFile(onnx, bytes.subarray(0, bytes.length / 2));
      await expect(createLocalEmbedder({ modelDir: broken, manifest: TINY_TEST_MODEL })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining('Download it again'),
      });
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
    await expect(
      createLocalEmbedder({ modelDir, manifest: { ...TINY_TEST_MODEL, dimensions: 768 } }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('384-dimensional'),
    });
    expect(await embedder.embedDocuments(['still fine'])).toHaveLength(1);
  });

  it('applies the query prefix to queries and the document prefix to documents', async () => {
    const text = 'pressure distribution';
    const query = await embedder.embedQuery(text);
    const [asDocument] = await embedder.embedDocuments([text]);
    // The manifest's documentPrefix is "passage: ", so the raw prefixed text
    // embedded as a document gets "passage: query: pressure distribution".
    const bare = await createLocalEmbedder({
      modelDir,
      manifest: { ...TINY_TEST_MODEL, queryPrefix: '', documentPrefix: '' },
    });
    const [queryByHand] = await bare.embedDocuments([`query: ${text}`]);
    const [documentByHand] = await bare.embedDocuments([`passage: ${text}`]);
    const [noPrefix] = await bare.embedDocuments([text]);
    await bare.close?.();
    expect(Array.from(query)).toEqual(Array.from(queryByHand!));
    expect(Array.from(asDocument!)).toEqual(Array.from(documentByHand!));
    expect(dot(query, noPrefix!)).toBeLessThan(0.9999);
  });

  it("posts a query's vector from its own thread to a port handed to it, and closes the port", async () => {
    const { port1, port2 } = new MessageChannel();
    const posted = new Promise<{ vector: unknown; closed: Promise<void> }>((resolve) => {
      const closed = new Promise<void>((done) => port2.once('close', () => done()));
      port2.once('message', (vector: unknown) => resolve({ vector, closed }));
    });
    const vector = await embedder.embedQueryTo!('boundary layer suction', port1);
    const copy = await posted;
    await copy.closed;
    expect(copy.vector).toBeInstanceOf(Float32Array);
    expect(Array.from(copy.vector as Float32Array)).toEqual(Array.from(vector));
    expect(Array.from(vector)).toEqual(Array.from(await embedder.embedQuery('boundary layer suction')));
  });

  it('closes the port without a vector when the query cannot be embedded', async () => {
    const doomed = await createLocalEmbedder({ modelDir, manifest: TINY_TEST_MODEL });
    await doomed.close?.();
    const { port1, port2 } = new MessageChannel();
    let got = false;
    port2.once('message', () => (got = true));
    const closed = new Promise<void>((done) => port2.once('close', () => done()));
    await expect(doomed.embedQueryTo!('anything', port1)).rejects.toThrow();
    await closed;
    expect(got).toBe(false);
  });

  it('truncates texts longer than the manifest allows instead of failing', async () => {
    const short = await createLocalEmbedder({
      modelDir,
      manifest: { ...TINY_TEST_MODEL, queryPrefix: '', documentPrefix: '', maxTokens: 6 },
    });
    // 6 tokens = [CLS] + four words + [SEP].
    const [long, firstFour, firstThree] = await short.embedDocuments([
      'heat transfer boundary layer wing flow',
      'heat transfer boundary layer',
      'heat transfer boundary',
    ]);
    await short.close?.();
    expect(Array.from(long!)).toEqual(Array.from(firstFour!));
    expect(Array.from(long!)).not.toEqual(Array.from(firstThree!));
  });

  it('scores texts that share words (and word families) above unrelated texts', async () => {
    const [query, related, family, unrelated] = await embedder.embedDocuments([
      'heat transfer in a turbulent boundary layer',
      'measurements of heat transfer through the boundary layer of a cooled plate',
      'heating and transferring through turbulence in boundaries',
      'a recipe for banana bread with butter and sugar',
    ]);
    expect(dot(query!, related!)).toBeGreaterThan(dot(query!, unrelated!) + 0.3);
    expect(dot(query!, family!)).toBeGreaterThan(dot(query!, unrelated!) + 0.2);
  });

  it('handles an empty batch and honours an aborted signal', async () => {
    expect(await embedder.embedDocuments([])).toEqual([]);
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embedDocuments(['a'], { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});
