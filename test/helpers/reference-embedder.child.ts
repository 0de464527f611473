/**
 * Child process of reference-embedder.ts: embeds groups of texts with the
 * transformers.js `feature-extraction` pipeline (its tokenizer, its
 * onnxruntime session, its pooling and normalisation), which is what other
 * desktop indexers run. It lives in its own process because onnxruntime-node
 * must not run sessions on two threads of one process (see the embeddings
 * README), and the parent's embedding worker already has one.
 *
 * stdin: a ReferenceRequest as JSON; stdout: a ReferenceReply as JSON.
 */
import path from 'node:path';
import { env, pipeline, Tensor, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { lengthBatches } from '../../src/main/core/embeddings/length-batches';
import type { ReferenceReply, ReferenceRequest } from './reference-embedder';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function unit(vector: Float32Array): number[] {
  const norm = Math.hypot(...vector) || 1;
  return Array.from(vector, (x) => x / norm);
}

/**
 * The pipeline's tokenizer and model on ids truncated as the Python
 * tokenizers do (the closing [SEP] kept), then the same pooling and
 * normalisation: transformers.js's own truncation cuts at the limit and
 * drops the closing [SEP], which the models were not trained on.
 */
async function embedKeepingSep(
  extractor: FeatureExtractionPipeline,
  texts: string[],
  request: ReferenceRequest,
): Promise<number[][]> {
  const ids = texts.map((text) => {
    const all = extractor.tokenizer.encode(text);
    return all.length <= request.maxTokens ? all : [...all.slice(0, request.maxTokens - 1), all[all.length - 1]!];
  });
  const seq = Math.max(...ids.map((row) => row.length));
  const input = new BigInt64Array(texts.length * seq);
  const mask = new BigInt64Array(texts.length * seq);
  ids.forEach((row, b) =>
    row.forEach((id, t) => {
      input[b * seq + t] = BigInt(id);
      mask[b * seq + t] = 1n;
    }),
  );
  const dims = [texts.length, seq];
  const { last_hidden_state: hidden } = (await extractor.model({
    input_ids: new Tensor('int64', input, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(texts.length * seq), dims),
  })) as { last_hidden_state: Tensor };
  const data = hidden.data as Float32Array;
  const width = hidden.dims[2]!;
  return ids.map((row, b) => {
    const pooled = new Float32Array(width);
    const tokens = request.pooling === 'cls' ? [0] : row.map((_, t) => t);
    for (const t of tokens) {
      for (let d = 0; d < width; d++) pooled[d]! += data[(b * seq + t) * width + d]! / tokens.length;
    }
    return unit(pooled);
  });
}

const request = JSON.parse(await readStdin()) as ReferenceRequest;
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(request.modelDir) + path.sep;
const extractor = await pipeline('feature-extraction', path.basename(request.modelDir), { dtype: request.dtype });
const reply: ReferenceReply = { calls: [] };
for (const call of request.calls) {
  const tokens = call.texts.map((text) => extractor.tokenizer.encode(text).length);
  const vectors: number[][] = new Array(call.texts.length);
  const droppedSep: Array<number[] | null> = call.texts.map(() => null);
  const runs: ReferenceReply['calls'][number]['runs'] = [];
  const truncated = tokens.map((n) => Math.min(n, request.maxTokens));
  for (const rows of lengthBatches(truncated, call.batchSize)) {
    const texts = rows.map((i) => call.texts[i]!);
    const pipelined = (await extractor(texts, { pooling: request.pooling, normalize: true })).tolist() as number[][];
    if (rows.every((i) => tokens[i]! <= request.maxTokens)) {
      rows.forEach((row, i) => (vectors[row] = pipelined[i]!));
      runs.push({ rows, path: 'pipeline' });
    } else {
      const kept = await embedKeepingSep(extractor, texts, request);
      rows.forEach((row, i) => {
        vectors[row] = kept[i]!;
        droppedSep[row] = pipelined[i]!;
      });
      runs.push({ rows, path: 'pipeline tokenizer + model, [SEP] kept' });
    }
  }
  reply.calls.push({ vectors, tokens, runs, droppedSep });
}
process.stdout.write(JSON.stringify(reply));
