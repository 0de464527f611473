/**
 * The embedding models benchmarks run, all without a download from the
 * internet, and all through the real download, verification and loading code
 * (a fake hub on 127.0.0.1 serves the files, ModelManager fetches them):
 *
 * - `tiny`: the tiny generated test model (scripts/make-test-model.ts), one
 *   lookup per token: measures everything except embedding cost;
 * - `standin`: the full-size stand-in for the default model
 *   (scripts/make-standin-model.ts) under Snowflake/snowflake-arctic-embed-xs's
 *   id and files: real cost per text, random weights;
 * - `standin-12`: the 12-layer stand-in under Xenova/bge-small-en-v1.5's id.
 *
 * Neither generated model says anything about retrieval quality.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { STANDIN_MODELS, ensureStandinModel } from '../../scripts/make-standin-model';
import { TINY_TEST_MODEL, type ModelManifest } from '../../src/main/core/embeddings/manifests';
import { ModelManager } from '../../src/main/core/embeddings/model-manager';
import type { Embedder } from '../../src/main/core/embeddings/types';
import type { FakeModelHub } from '../../test/fakes/model-hub-server';
import { startStandinModelHub, startTinyModelHub } from '../../test/helpers/test-core';
import type { BenchModelChoice } from './args';

export interface BenchModel {
  choice: BenchModelChoice;
  /** The manifest it is downloaded and loaded under. */
  manifest: ModelManifest;
  /** What produced the figures, for every report line that needs it. */
  description: string;
  /** A fake hub serving it (the caller closes it). */
  startHub(): Promise<FakeModelHub>;
}

/** Describes a model choice and how to serve it. */
export async function benchModel(choice: BenchModelChoice): Promise<BenchModel> {
  if (choice === 'tiny') {
    return {
      choice,
      manifest: TINY_TEST_MODEL,
      description: `tiny (${TINY_TEST_MODEL.id}: one lookup per token, near-zero embedding cost)`,
      startHub: startTinyModelHub,
    };
  }
  const { layers, manifest } = STANDIN_MODELS[choice];
  const { vocabulary } = await ensureStandinModel({ layers });
  return {
    choice,
    manifest,
    description: `${choice} (${layers}-layer int8 BERT stand-in served as ${manifest.id}; random weights, real cost; vocabulary: ${vocabulary})`,
    startHub: () => startStandinModelHub([choice]),
  };
}

export interface OpenedBenchEmbedder {
  embedder: Embedder;
  model: BenchModel;
  /** The verified model folder. */
  modelDir: string;
  /** Closes the embedder and the hub and deletes the downloaded copy. */
  close(): Promise<void>;
}

/**
 * Downloads `choice` from a fake hub into a temp data folder and opens it
 * with the app's embedder settings (ModelManager.openEmbedder defaults), as a
 * person's machine would.
 */
export async function openBenchEmbedder(choice: BenchModelChoice): Promise<OpenedBenchEmbedder> {
  const model = await benchModel(choice);
  const hub = await model.startHub();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trove-bench-model-'));
  const cleanup = async (): Promise<void> => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const models = new ModelManager({ dataDir, hubBaseUrl: hub.baseUrl });
    await models.download(model.manifest.id);
    const embedder = await models.openEmbedder(model.manifest.id);
    return {
      embedder,
      model,
      modelDir: await models.verifiedModelDir(model.manifest.id),
      close: async () => {
        await embedder.close?.();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
