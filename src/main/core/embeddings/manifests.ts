import { AppError } from '../../../shared/errors';
import type { EmbeddingSpace } from './types';

/**
 * Everything Trove needs to fetch, verify and run one local embedding model.
 * The files are fetched from `${hubBaseUrl}/${repo}/resolve/${revision}/${file}`
 * and stored under `<dataDir>/models/<id>/<file>`.
 */
export interface ModelManifest {
  /** Registry key and folder name under `<dataDir>/models/`; also the space's `model`. */
  id: string;
  /** Hub repository, `owner/name`. */
  repo: string;
  /**
   * Git revision on the hub. A commit hash pins the bytes; the built-in models
   * use `main` because no commit could be verified from the build machine, and
   * rely on the sha256 recorded at first download (verified.json) instead.
   */
  revision: string;
  /** Paths inside the repository that transformers.js needs, e.g. `onnx/model_quantized.onnx`. */
  files: string[];
  /** Optional published sha256 per file; when present a download must match it. */
  sha256?: Record<string, string>;
  /** Output vector size. */
  dimensions: number;
  /** How token vectors become one text vector: mean over tokens, or the [CLS] token. */
  pooling: 'mean' | 'cls';
  /** Prepended to a search query before embedding (model-specific instruction). */
  queryPrefix: string;
  /** Prepended to each document chunk before embedding. */
  documentPrefix: string;
  /** Longest input in tokens; longer texts are truncated by the tokenizer. */
  maxTokens: number;
  /** Which ONNX weights the embedding worker loads: `fp32` -> onnx/model.onnx, `q8` -> onnx/model_quantized.onnx. */
  dtype: 'fp32' | 'q8';
  /** Approximate download size, for the Settings screen before the download starts. */
  sizeMb: number;
  /** SPDX licence of the weights. */
  license: string;
  /** Short human name for the UI. */
  displayName: string;
}

/**
 * Default local model: Snowflake arctic-embed-xs, int8-quantised ONNX (~23 MB).
 * Why this one: README.md in this folder (retrieval score per megabyte).
 */
export const ARCTIC_EMBED_XS: ModelManifest = {
  id: 'Snowflake/snowflake-arctic-embed-xs',
  repo: 'Snowflake/snowflake-arctic-embed-xs',
  revision: 'main',
  files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'],
  dimensions: 384,
  pooling: 'cls',
  queryPrefix: 'Represent this sentence for searching relevant passages: ',
  documentPrefix: '',
  maxTokens: 512,
  dtype: 'q8',
  sizeMb: 23,
  license: 'Apache-2.0',
  displayName: 'Arctic Embed XS (English, 23 MB)',
};

/** Higher quality, 12 layers: about 1.5 points better retrieval for ~1.5x the size and ~2x the CPU time. */
export const BGE_SMALL_EN_V15: ModelManifest = {
  id: 'Xenova/bge-small-en-v1.5',
  repo: 'Xenova/bge-small-en-v1.5',
  revision: 'main',
  files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'],
  dimensions: 384,
  pooling: 'cls',
  queryPrefix: 'Represent this sentence for searching relevant passages: ',
  documentPrefix: '',
  maxTokens: 512,
  dtype: 'q8',
  sizeMb: 34,
  license: 'MIT',
  displayName: 'BGE small v1.5 (English, 34 MB)',
};

/**
 * The generated tiny model (scripts/make-test-model.ts): a bag-of-words random
 * projection for tests, benchmarks and end-to-end runs. Not offered in the UI.
 * The prefixes are deliberately non-empty so tests can see them applied.
 */
export const TINY_TEST_MODEL: ModelManifest = {
  id: 'trove/tiny-test-model',
  repo: 'trove/tiny-test-model',
  revision: 'main',
  files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'],
  dimensions: 384,
  pooling: 'mean',
  queryPrefix: 'query: ',
  documentPrefix: 'passage: ',
  maxTokens: 512,
  dtype: 'fp32',
  sizeMb: 13,
  license: 'MIT',
  displayName: 'Tiny test model (not semantic)',
};

export const DEFAULT_LOCAL_MODEL_ID = ARCTIC_EMBED_XS.id;

/** Models the Settings screen offers, default first. */
export const LOCAL_MODELS: readonly ModelManifest[] = [ARCTIC_EMBED_XS, BGE_SMALL_EN_V15];

const ALL_MODELS: readonly ModelManifest[] = [...LOCAL_MODELS, TINY_TEST_MODEL];

/** Looks a manifest up by id (the tiny test model included); NOT_FOUND if unknown. */
export function getModelManifest(id: string, extra: readonly ModelManifest[] = []): ModelManifest {
  const found = [...extra, ...ALL_MODELS].find((m) => m.id === id);
  if (!found) throw new AppError('NOT_FOUND', `Unknown local embedding model "${id}". Pick a model in Settings.`);
  return found;
}

/** The embedding space a local model's vectors live in. */
export function localSpace(manifest: ModelManifest): EmbeddingSpace {
  return { provider: 'local', model: manifest.id, dimensions: manifest.dimensions };
}
