import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../scripts/make-test-model';
import { createLocalEmbedder } from '../../src/main/core/embeddings/local-embedder';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import {
  POOL_WEIGHTS_INPUT,
  POOLED_OUTPUT,
  PooledModelError,
  withPoolingOutput,
} from '../../src/main/core/embeddings/pooled-model';

const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto');

/** A one-node model (Identity) whose only output has the given name and element type. */
function identityModel(outputName: string, elemType: number): Uint8Array {
  const info = (name: string) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'b' }, { dimParam: 's' }, { dimValue: 4 }] } } },
  });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 14 }],
      graph: {
        name: 'identity',
        node: [{ opType: 'Identity', input: ['x'], output: [outputName] }],
        input: [info('x')],
        output: [info(outputName)],
      },
    }),
  ).finish();
}

describe('pooling inside the ONNX graph', () => {
  let original: Uint8Array;
  let table: Float32Array;
  const dims = 384;

  beforeAll(async () => {
    const dir = await ensureTestModel();
    original = await readFile(path.join(dir, 'onnx', 'model.onnx'));
    const raw = onnx.ModelProto.decode(original).graph!.initializer![0]!.rawData!;
    table = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  });

  it('adds a weights input and makes the weighted sum of token vectors the only output', async () => {
    const session = await InferenceSession.create(withPoolingOutput(original));
    expect(session.outputNames).toEqual([POOLED_OUTPUT]);
    expect(session.inputNames).toContain(POOL_WEIGHTS_INPUT);

    // Two texts, padded to 3 tokens: ids 7, 8, 9 and 10, 11, [PAD].
    const ids = [7n, 8n, 9n, 10n, 11n, 0n];
    const weights = [0.5, 0.25, 0.25, 1, 0, 0];
    const dimsOf = [2, 3];
    const out = await session.run({
      input_ids: new Tensor('int64', BigInt64Array.from(ids), dimsOf),
      attention_mask: new Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), dimsOf),
      token_type_ids: new Tensor('int64', new BigInt64Array(6), dimsOf),
      [POOL_WEIGHTS_INPUT]: new Tensor('float32', Float32Array.from(weights), [2, 1, 3]),
    });
    const pooled = out[POOLED_OUTPUT]!;
    expect(pooled.dims).toEqual([2, 1, dims]);
    const data = pooled.data as Float32Array;
    const row = (id: number, d: number) => table[id * dims + d]!;
    for (let d = 0; d < dims; d++) {
      expect(data[d]).toBeCloseTo(0.5 * row(7, d) + 0.25 * row(8, d) + 0.25 * row(9, d), 6);
      expect(data[dims + d]).toBe(row(10, d));
    }
    await session.release();
  });

  it('refuses models it cannot pool, with the reason', () => {
    expect(() => withPoolingOutput(identityModel('logits', 1))).toThrow(/no per-token output.*it has logits/);
    expect(() => withPoolingOutput(identityModel('last_hidden_state', 10))).toThrow(
      /last_hidden_state output is not float32/,
    );
    expect(() => withPoolingOutput(original.subarray(0, original.length - 100))).toThrow(PooledModelError);
    expect(() => withPoolingOutput(new TextEncoder().encode('<html>not a model</html>'))).toThrow(PooledModelError);
  });

  it('uses the first token alone for CLS pooling', async () => {
    // In the tiny model the first token is always [CLS], so every text pools to its row.
    const dir = await ensureTestModel();
    const embedder = await createLocalEmbedder({ modelDir: dir, manifest: { ...TINY_TEST_MODEL, pooling: 'cls' } });
    try {
      const [a, b] = await embedder.embedDocuments(['heat transfer', 'a recipe for banana bread']);
      const cls = table.subarray(2 * dims, 3 * dims); // [CLS] is id 2 in the generated vocabulary
      const norm = Math.hypot(...cls);
      for (let d = 0; d < dims; d++) {
        expect(a![d]).toBeCloseTo(cls[d]! / norm, 6);
        expect(b![d]).toBe(a![d]);
      }
    } finally {
      await embedder.close?.();
    }
  });
});
