/**
 * A local model inside the embedding worker thread: loading (transformers.js
 * tokenizer, onnxruntime-node session with pooling in the graph), turning
 * text into token ids, and one model run. Imported only by
 * local-embedder.worker.ts: onnxruntime-node must live on that one thread
 * (see local-embedder-host.ts).
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
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ModelLoadOptions } from './local-embedder.protocol';
import { createTextEncoder, type EncodingTokenizer, type TokenizerConfig } from './piece-encoder';
import { POOL_WEIGHTS_INPUT, POOLED_OUTPUT, withPoolingOutput } from './pooled-model';

export interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  /** Text to token ids, special tokens included: the piece encoder when it qualifies (see piece-encoder.ts). */
  encode: (text: string) => number[];
  /** Longest input in tokens, special tokens included. */
  maxTokens: number;
  session: InferenceSession;
  options: ModelLoadOptions;
  dimensions: number;
}

/** The weights file for a dtype, where transformers.js exports put it. */
const MODEL_FILE: Record<ModelLoadOptions['dtype'], string> = {
  fp32: 'model.onnx',
  q8: 'model_quantized.onnx',
};

/** Loads a verified model folder; probes one run so a manifest that disagrees with the weights fails here. */
export async function loadModel(options: ModelLoadOptions): Promise<LoadedModel> {
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
  const probe = await runModel(loaded, [tokenize(loaded, 'probe')]);
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
export function tokenize(loaded: LoadedModel, text: string): number[] {
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
function feedsFor(loaded: LoadedModel, encoded: ReadonlyArray<ArrayLike<number>>): Record<string, Tensor> {
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
export async function runModel(loaded: LoadedModel, encoded: ReadonlyArray<ArrayLike<number>>): Promise<Tensor> {
  const outputs = await loaded.session.run(feedsFor(loaded, encoded));
  const pooled = outputs[POOLED_OUTPUT];
  if (!pooled) throw new Error('the model produced no pooled output');
  return pooled;
}
