import type { MessagePort } from 'node:worker_threads';
import type { Lane } from './run-scheduler';

/**
 * Messages between the main thread (`local-embedder-host.ts`) and the one
 * embedding worker thread (`local-embedder.worker.ts`). Several models can be
 * loaded in the worker at once, each under its own key. Vectors travel as one
 * flat Float32Array per request whose buffer is transferred, not copied.
 */
export interface ModelLoadOptions {
  /** Folder holding config.json, tokenizer files and onnx/. */
  modelDir: string;
  pooling: 'mean' | 'cls';
  dtype: 'fp32' | 'q8';
  /** onnxruntime intra-op threads. */
  threads: number;
  /** Most texts per model run. */
  batchSize: number;
  /** Longest input in tokens (special tokens included); capped by the tokenizer's own limit. */
  maxTokens: number;
}

export type ToWorker =
  | { type: 'load'; id: number; key: string; options: ModelLoadOptions }
  | {
      type: 'embed';
      id: number;
      key: string;
      texts: string[];
      lane: Lane;
      priority: number;
      /** Also gets the vectors (one flat array) as soon as they exist, then is closed; closed alone on failure. */
      copyTo?: MessagePort;
    }
  /** Drops what is left of embed request `id`; no reply (the caller has stopped waiting). */
  | { type: 'cancel'; id: number }
  | { type: 'unload'; id: number; key: string };

export type FromWorker =
  | { type: 'loaded'; id: number; dimensions: number }
  | { type: 'embedded'; id: number; vectors: Float32Array }
  | { type: 'unloaded'; id: number }
  | { type: 'error'; id: number; message: string };
