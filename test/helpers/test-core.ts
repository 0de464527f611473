import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStandinModel, STANDIN_MODELS, type StandinVariant } from '../../scripts/make-standin-model';
import { ensureTestModel } from '../../scripts/make-test-model';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/app';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
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
