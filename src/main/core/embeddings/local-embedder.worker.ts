/**
 * The embedding worker thread: runs local models (transformers.js tokenizer,
 * onnxruntime-node session) off the main thread, because tokenising and
 * inference are CPU-bound and would freeze the UI and the queue. One worker
 * hosts every loaded model: onnxruntime-node 1.21 (the version transformers.js
 * 3.8 pins) aborts the whole process when sessions run in two worker threads
 * at once (microsoft/onnxruntime#24486), so there must only ever be one, and
 * it is never restarted (see local-embedder-host.ts).
 *
 * We call the tokenizer and the runtime directly instead of the
 * feature-extraction pipeline, for speed on large ingests: pooling runs inside
 * the ONNX graph (pooled-model.ts), so only [batch, dims] leaves the runtime
 * instead of a vector per token; the int64 input tensors are built directly
 * rather than through several generic copies; and WordPiece, which re-splits
 * every occurrence of a word with quadratic string slicing, is memoised per
 * word (it is a pure function of the word). For BERT-style tokenizers, each
 * space-separated piece of text is tokenised once and cached
 * (piece-encoder.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { FromWorker, ModelLoadOptions, ToWorker } from './local-embedder.protocol';
import { createTextEncoder, type EncodingTokenizer, type TokenizerConfig } from './piece-encoder';
import { lengthBatches } from './length-batches';
import { toUnitVector } from './normalise';
import { POOL_WEIGHTS_INPUT, POOLED_OUTPUT, withPoolingOutput } from './pooled-model';

interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  /** Text to token ids, special tokens included: the piece encoder when it qualifies (see piece-encoder.ts). */
  encode: (text: string) => number[];
  /** Longest input in tokens, special tokens included. */
  maxTokens: number;
  session: InferenceSession;
  options: ModelLoadOptions;
  dimensions: number;
}

function requirePort(): MessagePort {
  if (!parentPort) throw new Error('local-embedder.worker must run in a worker thread');
  return parentPort;
}
const port = requirePort();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** The weights file for a dtype, where transformers.js exports put it. */
const MODEL_FILE: Record<ModelLoadOptions['dtype'], string> = {
  fp32: 'model.onnx',
  q8: 'model_quantized.onnx',
};

async function load(options: ModelLoadOptions): Promise<LoadedModel> {
  // Fully offline: only the folder the model manager verified.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(options.modelDir) + path.sep;
  const name = path.basename(options.modelDir);
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  memoiseWordPiece(tokenizer);
  const tokenizerConfig = JSON.parse(
    await readFile(path.join(options.modelDir, 'tokenizer.json'), 'utf8'),
  ) as TokenizerConfig;
  const { encode } = createTextEncoder(tokenizer as unknown as EncodingTokenizer, tokenizerConfig);
  const weights = await readFile(path.join(options.modelDir, 'onnx', MODEL_FILE[options.dtype]));
  const session = await InferenceSession.create(withPoolingOutput(weights), {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
  });
  const configured = Number(tokenizer.model_max_length);
  const tokenizerLimit = Number.isFinite(configured) && configured > 2 ? configured : options.maxTokens;
  const maxTokens = Math.max(3, Math.min(options.maxTokens, tokenizerLimit));
  const loaded: LoadedModel = { tokenizer, encode, maxTokens, session, options, dimensions: 0 };
  // One probe tells the caller the real output size, so a manifest that
  // disagrees with the weights fails at load time, not mid-ingest.
  const probe = await run(loaded, [tokenize(loaded, 'probe')]);
  if (probe.dims.length !== 3 || probe.dims[0] !== 1 || probe.dims[1] !== 1)
    throw new Error(`the model's per-token output has an unexpected shape [${probe.dims.join(', ')}]`);
  loaded.dimensions = probe.dims[2]!;
  return loaded;
}

interface WordPieceModel {
  config: { type?: string };
  encode(tokens: string[]): string[];
}

function memoiseWordPiece(tokenizer: PreTrainedTokenizer): void {
  const model = tokenizer.model as unknown as WordPieceModel;
  if (model.config?.type !== 'WordPiece') return;
  const original = model.encode.bind(model);
  const cache = new Map<string, string[]>();
  model.encode = (tokens: string[]): string[] => {
    const out: string[] = [];
    for (const token of tokens) {
      let pieces = cache.get(token);
      if (!pieces) {
        pieces = original([token]);
        // Bounded: a corpus of random identifiers must not grow it forever.
        if (cache.size >= 200_000) cache.clear();
        cache.set(token, pieces);
      }
      for (const piece of pieces) out.push(piece);
    }
    return out;
  };
}

/**
 * Token ids for a text, special tokens added, truncated to `maxTokens` the
 * way BERT-family tokenizers do (the closing special token is kept).
 */
function tokenize(loaded: LoadedModel, text: string): number[] {
  const ids = loaded.encode(text);
  if (ids.length <= loaded.maxTokens) return ids;
  const kept = ids.slice(0, loaded.maxTokens - 1);
  kept.push(ids[ids.length - 1]!);
  return kept;
}

/**
 * The session inputs for one run: the texts' token ids padded to the longest,
 * and the pooling weights: 1/length on each real token for mean pooling, 1 on
 * the first token for CLS pooling, 0 on padding.
 */
function feedsFor(loaded: LoadedModel, encoded: readonly number[][]): Record<string, Tensor> {
  const { tokenizer, options, session } = loaded;
  const seq = Math.max(1, ...encoded.map((ids) => ids.length));
  const pad = BigInt(tokenizer.pad_token_id ?? 0);
  const ids = new BigInt64Array(encoded.length * seq).fill(pad);
  const mask = new BigInt64Array(encoded.length * seq);
  const weights = new Float32Array(encoded.length * seq);
  encoded.forEach((row, b) => {
    const base = b * seq;
    for (let t = 0; t < row.length; t++) {
      ids[base + t] = BigInt(row[t]!);
      mask[base + t] = 1n;
    }
    if (options.pooling === 'cls') weights[base] = 1;
    else weights.fill(1 / row.length, base, base + row.length);
  });
  const dims = [encoded.length, seq];
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(encoded.length * seq), dims),
    [POOL_WEIGHTS_INPUT]: new Tensor('float32', weights, [encoded.length, 1, seq]),
  };
  // Not every export takes token_type_ids.
  return Object.fromEntries(session.inputNames.map((name) => [name, feeds[name]!]));
}

/** Runs the model once; the pooled (not yet normalised) vectors, [texts, 1, dims]. */
async function run(loaded: LoadedModel, encoded: readonly number[][]): Promise<Tensor> {
  const outputs = await loaded.session.run(feedsFor(loaded, encoded));
  const pooled = outputs[POOLED_OUTPUT];
  if (!pooled) throw new Error('the model produced no pooled output');
  return pooled;
}

/** Writes each pooled row, scaled to unit length, into `out` at row `outRows[b]`. */
function normaliseInto(pooled: Float32Array, dims: number, out: Float32Array, outRows: readonly number[]): void {
  outRows.forEach((row, b) => out.set(toUnitVector(pooled.subarray(b * dims, (b + 1) * dims)), row * dims));
}

async function embed(loaded: LoadedModel, texts: string[]): Promise<Float32Array> {
  const { dimensions, options } = loaded;
  const out = new Float32Array(texts.length * dimensions);
  const encoded = texts.map((text) => tokenize(loaded, text));
  // Runs of similar length, split where the padding would cost more than another run.
  for (const rows of lengthBatches(
    encoded.map((ids) => ids.length),
    options.batchSize,
  )) {
    const pooled = await run(
      loaded,
      rows.map((i) => encoded[i]!),
    );
    normaliseInto(pooled.data as Float32Array, dimensions, out, rows);
    pooled.dispose();
  }
  return out;
}

/** Loaded models by key, with how many embedders use each (two embedders may share one). */
const models = new Map<string, { loading: Promise<LoadedModel>; users: number }>();

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'load': {
      let entry = models.get(message.key);
      if (!entry) {
        entry = { loading: load(message.options), users: 0 };
        models.set(message.key, entry);
      }
      let loaded: LoadedModel;
      try {
        loaded = await entry.loading;
      } catch (err) {
        models.delete(message.key);
        throw err;
      }
      entry.users++;
      post({ type: 'loaded', id: message.id, dimensions: loaded.dimensions });
      return;
    }
    case 'embed': {
      const entry = models.get(message.key);
      if (!entry) throw new Error('the model is not loaded');
      const vectors = await embed(await entry.loading, message.texts);
      post({ type: 'embedded', id: message.id, vectors }, [vectors.buffer as ArrayBuffer]);
      return;
    }
    case 'unload': {
      const entry = models.get(message.key);
      if (entry && --entry.users <= 0) {
        models.delete(message.key);
        await (await entry.loading).session.release();
      }
      post({ type: 'unloaded', id: message.id });
      return;
    }
  }
}

// Requests run one at a time, in order: a session is not re-entrant, and
// interleaving batches would only add memory pressure.
let chain = Promise.resolve();
port.on('message', (message: ToWorker) => {
  chain = chain.then(() =>
    handle(message).catch((err: unknown) =>
      post({ type: 'error', id: message.id, message: err instanceof Error ? err.message : String(err) }),
    ),
  );
});
