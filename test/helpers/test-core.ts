import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureStandinModel, STANDIN_MODELS, type StandinVariant } from '../../scripts/make-standin-model';
import { ensureTestModel } from '../../scripts/make-test-model';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/app';
import { TINY_TEST_MODEL, type ModelManifest } from '../../src/main/core/embeddings/manifests';
import { ModelManager } from '../../src/main/core/embeddings/model-manager';
import type { Embedder } from '../../src/main/core/embeddings/types';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { startFakeModelHub, type FakeModelHub } from '../fakes/model-hub-server';

export interface TestCore {
  core: Core;
  dataDir: string;
  hub: FakeModelHub | null;
  /** Closes the core (and hub) and deletes the data folder. */
  cleanup(): Promise<void>;
}

/** A fake model hub serving the generated tiny model, as the real hub would. */
export async function startTinyModelHub(): Promise<FakeModelHub> {
  const hub = await startFakeModelHub();
  await hub.addRepo(TINY_TEST_MODEL.repo, TINY_TEST_MODEL.revision, await ensureTestModel(), TINY_TEST_MODEL.files);
  return hub;
}

/**
 * A fake model hub serving the full-size stand-in models
 * (scripts/make-standin-model.ts) under the real models' repository ids and
 * files: `standin` as Snowflake/snowflake-arctic-embed-xs, `standin-12` as
 * Xenova/bge-small-en-v1.5. Downloading, verifying and loading them runs
 * exactly the code a user's download runs; only the weights are random.
 * Default: both.
 */
export async function startStandinModelHub(
  variants: readonly StandinVariant[] = ['standin', 'standin-12'],
): Promise<FakeModelHub> {
  const hub = await startFakeModelHub();
  for (const variant of variants) {
    const { layers, manifest } = STANDIN_MODELS[variant];
    const { dir } = await ensureStandinModel({ layers });
    await hub.addRepo(manifest.repo, manifest.revision, dir, manifest.files);
  }
  return hub;
}

export interface OpenedStandin {
  embedder: Embedder;
  manifest: ModelManifest;
  /** The verified model folder. */
  modelDir: string;
  /** Closes the embedder and the hub and deletes the data folder. */
  close(): Promise<void>;
}

/**
 * A stand-in model as a user gets it: served by a fake hub under the real
 * model's id, downloaded into a temp data folder, verified and opened with
 * the app's embedder settings.
 */
export async function openStandinEmbedder(variant: StandinVariant = 'standin'): Promise<OpenedStandin> {
  const { manifest } = STANDIN_MODELS[variant];
  const dataDir = await mkdtemp(join(tmpdir(), 'trove-standin-'));
  const hub = await startStandinModelHub([variant]);
  const models = new ModelManager({ dataDir, hubBaseUrl: hub.baseUrl });
  await models.download(manifest.id);
  const embedder = await models.openEmbedder(manifest.id);
  return {
    embedder,
    manifest,
    modelDir: await models.verifiedModelDir(manifest.id),
    async close() {
      await embedder.close?.();
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A real core on a temp data folder, with an in-memory secret store and,
 * unless `model: false`, the tiny test model downloaded through the real
 * download path from a local fake hub and made the active embedding space.
 */
export async function startTestCore(
  options: { model?: boolean; dataDir?: string; core?: Partial<CoreOptions> } = {},
): Promise<TestCore> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'trove-test-'));
  const hub = options.model === false ? null : await startTinyModelHub();
  const core = await createCore({
    dataDir,
    secrets: new MemorySecretStore(),
    modelHubUrl: hub?.baseUrl,
    watch: false,
    relay: false,
    ...options.core,
  });
  if (hub) {
    await core.embeddings.download(TINY_TEST_MODEL.id);
    await core.embeddings.configure({ provider: 'local', modelId: TINY_TEST_MODEL.id });
  }
  return {
    core,
    dataDir,
    hub,
    async cleanup() {
      await core.close();
      await hub?.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test core with a folder connector added and indexed. */
export interface FolderTestCore extends TestCore {
  /** The folder the connector syncs (deleted by `cleanup`). */
  folder: string;
  connectorId: string;
}

/**
 * A test core (startTestCore's options) with a new folder of `files`
 * (relative path -> text) added as a folder connector and indexed.
 */
export async function startFolderCore(
  files: Record<string, string>,
  options: Parameters<typeof startTestCore>[0] = {},
): Promise<FolderTestCore> {
  const t = await startTestCore(options);
  const folder = mkdtempSync(join(tmpdir(), 'trove-folder-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  const added = await t.core.connectors.add({ type: 'local_folder', name: 'Folder', settings: { path: folder } });
  await t.core.idle();
  return {
    ...t,
    folder,
    connectorId: added.connector.id,
    async cleanup() {
      await t.cleanup();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
