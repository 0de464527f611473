import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../logger';
import { embeddingHost } from './local-embedder-host';
import type { ModelLoadOptions } from './local-embedder.protocol';
import { localSpace, type ModelManifest } from './manifests';
import type { Lane } from './run-scheduler';
import type { Embedder } from './types';

export interface LocalEmbedderOptions {
  /** Folder with the verified model files (see ModelManager.modelDir). */
  modelDir: string;
  manifest: ModelManifest;
  logger?: Logger;
  /** onnxruntime intra-op threads. Default 1: ingest already runs beside parsing and the UI. */
  threads?: number;
  /**
   * Most texts per model run. Default: 1 for int8 models, 32 for float ones.
   * An int8 export quantises each layer's input with one range for the whole
   * run (DynamicQuantizeLinear), so a text's vector would depend on the texts
   * beside it; and one text per run measured fastest per token with the
   * default model's shape anyway (src/main/core/embeddings/README.md).
   */
  batchSize?: number;
  /** Texts per message to the worker (bounds the size of one message). Default 512. */
  textsPerRequest?: number;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'Embedding was cancelled.');
}

/**
 * Runs a local model (transformers.js on onnxruntime-node) in the process's
 * embedding worker thread. Resolves once the model is loaded and its output
 * size matches the manifest; rejects with UNAVAILABLE when the files cannot
 * be loaded. Vectors are unit length; the manifest's pooling and
 * query/document prefixes are applied. `close()` unloads the model.
 */
export async function createLocalEmbedder(options: LocalEmbedderOptions): Promise<Embedder> {
  const { manifest } = options;
  const logger = (options.logger ?? silentLogger).child('embed:local');
  const textsPerRequest = options.textsPerRequest ?? 512;
  const loadOptions: ModelLoadOptions = {
    modelDir: options.modelDir,
    pooling: manifest.pooling,
    dtype: manifest.dtype,
    threads: options.threads ?? 1,
    batchSize: options.batchSize ?? (manifest.dtype === 'q8' ? 1 : 32),
    maxTokens: manifest.maxTokens,
  };
  // Two embedders over the same folder with different settings must not share a session.
  const key = JSON.stringify(loadOptions);
  const host = embeddingHost(logger);

  const load = async (): Promise<void> => {
    const started = Date.now();
    let reply;
    try {
      reply = await host.request({ type: 'load', key, options: loadOptions });
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new AppError(
        'UNAVAILABLE',
        `The local embedding model could not be loaded (${detail}). Download it again in Settings.`,
        {
          cause: err,
        },
      );
    }
    if (reply.type !== 'loaded') throw new AppError('INTERNAL', `Unexpected reply "${reply.type}" to a model load.`);
    if (reply.dimensions !== manifest.dimensions) {
      throw new AppError(
        'UNAVAILABLE',
        `The local model "${manifest.id}" produces ${reply.dimensions}-dimensional vectors but is listed as ${manifest.dimensions}. Download it again in Settings.`,
      );
    }
    logger.info('local embedding model loaded', { model: manifest.id, ms: Date.now() - started });
  };

  await load();

  let closed = false;
  const embedAll = async (
    texts: string[],
    lane: Lane,
    priority: number,
    signal?: AbortSignal,
    copyTo?: MessagePort,
  ): Promise<Float32Array[]> => {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += textsPerRequest) {
      throwIfAborted(signal);
      if (closed) throw new AppError('CANCELLED', 'The local embedding model was closed.');
      const slice = texts.slice(start, start + textsPerRequest);
      // A port to copy to goes with the first request (a query is one text: the only one).
      const forward = start === 0 ? copyTo : undefined;
      const reply = await host.request(
        { type: 'embed', key, texts: slice, lane, priority, ...(forward ? { copyTo: forward } : {}) },
        signal,
        forward ? [forward] : [],
      );
      if (reply.type !== 'embedded')
        throw new AppError('INTERNAL', `Unexpected reply "${reply.type}" to an embedding request.`);
      throwIfAborted(signal);
      for (let i = 0; i < slice.length; i++) {
        vectors.push(reply.vectors.subarray(i * manifest.dimensions, (i + 1) * manifest.dimensions));
      }
    }
    return vectors;
  };

  return {
    space: localSpace(manifest),
    dimensions: manifest.dimensions,
    embedDocuments: (texts, { signal, purpose, priority } = {}) =>
      embedAll(
        texts.map((t) => manifest.documentPrefix + t),
        purpose === 'search' ? 'search' : 'document',
        priority ?? 0,
        signal,
      ),
    embedQuery: async (text, signal) => (await embedAll([manifest.queryPrefix + text], 'query', 0, signal))[0]!,
    embedQueryTo: async (text, copyTo, signal) => {
      try {
        return (await embedAll([manifest.queryPrefix + text], 'query', 0, signal, copyTo))[0]!;
      } finally {
        // Still here if the request never left (closed, cancelled): closed, so nobody waits on it. Once
        // handed to the model's thread, closing this end does nothing; that thread closes it.
        copyTo.close();
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Unloading frees the session's memory; a dead worker has nothing to unload.
      await host.request({ type: 'unload', key }).catch(() => undefined);
    },
  };
}
