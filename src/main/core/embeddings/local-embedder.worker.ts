/**
 * The embedding worker thread: runs local models (transformers.js tokenizer
 * and model on onnxruntime-node) off the main thread, because tokenising and
 * inference are CPU-bound and would freeze the UI and the queue. One worker
 * hosts every loaded model: onnxruntime-node 1.21 (the version transformers.js
 * 3.8 pins) aborts the whole process when sessions run in two worker threads
 * at once (microsoft/onnxruntime#24486), so there must only ever be one, and
 * it is never restarted (see local-embedder-host.ts).
 *
 * We call the tokenizer and model directly instead of the feature-extraction
 * pipeline, for speed on large ingests: the pipeline's mean pooling converts
 * the int64 attention mask to a Number once per token per dimension and walks
 * memory with a stride (pooling here sums columns in registers), its batch
 * encoding builds padded arrays through several generic copies (we build the
 * int64 tensors directly), and WordPiece re-splits every occurrence of a word
 * with quadratic string slicing (we memoise it per word; it is a pure
 * function of the word). For BERT-style tokenizers, each space-separated
 * piece of text is tokenised once and cached (piece-encoder.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, type MessagePort } from 'node:worker_threads';
import {
  AutoModel,
  AutoTokenizer,
  Tensor,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { FromWorker, ModelLoadOptions, ToWorker } from './local-embedder.protocol';
import { createTextEncoder, type EncodingTokenizer, type TokenizerConfig } from './piece-encoder';

interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  /** Text to token ids, special tokens included: the piece encoder when it qualifies (see piece-encoder.ts). */
  encode: (text: string) => number[];
  /** Longest input in tokens, special tokens included. */
  maxTokens: number;
  model: PreTrainedModel;
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
  const model = await AutoModel.from_pretrained(name, {
    dtype: options.dtype,
    device: 'cpu',
    session_options: { intraOpNumThreads: options.threads, interOpNumThreads: 1 },
  });
  const configured = Number(tokenizer.model_max_length);
  const tokenizerLimit = Number.isFinite(configured) && configured > 2 ? configured : options.maxTokens;
  const maxTokens = Math.max(3, Math.min(options.maxTokens, tokenizerLimit));
  // One probe tells the caller the real output size, so a manifest that
  // disagrees with the weights fails at load time, not mid-ingest.
  const probe = (await model(encodeBatch(tokenizer, encode, ['probe'], maxTokens).inputs)) as ModelOutputs;
  const hidden = probe.last_hidden_state ?? probe.token_embeddings;
  if (!hidden || hidden.dims.length !== 3)
    throw new Error('the model has no [batch, tokens, dims] last_hidden_state output');
  return { tokenizer, encode, maxTokens, model, options, dimensions: hidden.dims[2]! };
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

interface EncodedBatch {
  input_ids: Tensor;
  attention_mask: Tensor;
  token_type_ids: Tensor;
}

/** The model inputs, plus each text's token count (its attention mask is that many ones, then padding). */
interface EncodedTexts {
  inputs: EncodedBatch;
  lengths: number[];
}

/**
 * Token ids for each text, special tokens added, truncated to `maxTokens`
 * the way BERT-family tokenizers do (the closing special token is kept),
 * padded to the longest text in the batch.
 */
function encodeBatch(
  tokenizer: PreTrainedTokenizer,
  encode: (text: string) => number[],
  texts: string[],
  maxTokens: number,
): EncodedTexts {
  const encoded = texts.map((text) => {
    const ids = encode(text);
    if (ids.length <= maxTokens) return ids;
    const kept = ids.slice(0, maxTokens - 1);
    kept.push(ids[ids.length - 1]!);
    return kept;
  });
  const seq = Math.max(1, ...encoded.map((ids) => ids.length));
  const pad = BigInt(tokenizer.pad_token_id ?? 0);
  const ids = new BigInt64Array(texts.length * seq).fill(pad);
  const mask = new BigInt64Array(texts.length * seq);
  encoded.forEach((row, b) => {
    for (let t = 0; t < row.length; t++) {
      ids[b * seq + t] = BigInt(row[t]!);
      mask[b * seq + t] = 1n;
    }
  });
  const dims = [texts.length, seq];
  return {
    inputs: {
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', mask, dims),
      token_type_ids: new Tensor('int64', new BigInt64Array(texts.length * seq), dims),
    },
    lengths: encoded.map((row) => row.length),
  };
}

interface ModelOutputs {
  last_hidden_state?: Tensor;
  token_embeddings?: Tensor;
}

/**
 * Sums `count` consecutive token rows of `dims` floats starting at `base`
 * into `acc`. Column by column, four columns at a time in local variables:
 * pooling is the hot loop of a large ingest (76,000 chunks x 150 tokens x 384
 * dims), and this order keeps the running sums in registers instead of
 * loading and storing an accumulator array for every token (2.5x faster).
 */
function sumRows(data: Float32Array, base: number, count: number, dims: number, acc: Float64Array): void {
  let d = 0;
  for (; d + 4 <= dims; d += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0, i = base + d; t < count; t++, i += dims) {
      s0 += data[i]!;
      s1 += data[i + 1]!;
      s2 += data[i + 2]!;
      s3 += data[i + 3]!;
    }
    acc[d] = s0;
    acc[d + 1] = s1;
    acc[d + 2] = s2;
    acc[d + 3] = s3;
  }
  for (; d < dims; d++) {
    let sum = 0;
    for (let t = 0, i = base + d; t < count; t++, i += dims) sum += data[i]!;
    acc[d] = sum;
  }
}

/**
 * Pools token vectors into one unit vector per text, written into `out` at
 * `outRows[b]`. Mean pooling averages the first `lengths[b]` tokens (the
 * ones the attention mask keeps); CLS pooling takes the first token.
 */
function poolInto(
  hidden: Tensor,
  lengths: readonly number[],
  pooling: 'mean' | 'cls',
  out: Float32Array,
  outRows: number[],
): number {
  const [batch, seq, dims] = hidden.dims as [number, number, number];
  const data = hidden.data as Float32Array;
  const acc = new Float64Array(dims);
  for (let b = 0; b < batch; b++) {
    const count = pooling === 'cls' ? 1 : Math.min(seq, lengths[b]!);
    sumRows(data, b * seq * dims, count, dims, acc);
    if (count > 1) for (let d = 0; d < dims; d++) acc[d]! /= count;
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += acc[d]! * acc[d]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const offset = outRows[b]! * dims;
    for (let d = 0; d < dims; d++) out[offset + d] = acc[d]! * scale;
  }
  return dims;
}

async function embed(loaded: LoadedModel, texts: string[]): Promise<Float32Array> {
  const { tokenizer, encode, maxTokens, model, options } = loaded;
  const out = new Float32Array(texts.length * loaded.dimensions);
  // Batches of similar length waste little work on padding.
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  for (let start = 0; start < order.length; start += options.batchSize) {
    const rows = order.slice(start, start + options.batchSize);
    const { inputs, lengths } = encodeBatch(
      tokenizer,
      encode,
      rows.map((i) => texts[i]!),
      maxTokens,
    );
    const outputs = (await model(inputs)) as ModelOutputs;
    const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
    if (!hidden) throw new Error('the model produced no last_hidden_state output');
    poolInto(hidden, lengths, options.pooling, out, rows);
    hidden.dispose();
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
        await (await entry.loading).model.dispose();
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
