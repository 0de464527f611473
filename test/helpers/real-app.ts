/** The real core and its API on a temporary data folder, for tests of the transports and the dispatcher. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTroveApp, type TroveApp } from '../../src/main/core/api/trove-app';
import type { CoreOptions } from '../../src/main/core/core-types';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';

export interface RealApp extends TroveApp {
  dataDir: string;
}

/**
 * Core options go through as given: `watch: false` leaves folders unwatched,
 * so a test decides when a sync sees its changes.
 */
export async function startRealApp(options: Partial<Omit<CoreOptions, 'dataDir'>> = {}): Promise<RealApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'trove-ui-'));
  const app = await createTroveApp({
    dataDir,
    secrets: new MemorySecretStore(),
    logger: silentLogger,
    version: '0.0.0-test',
    ...options,
  });
  return {
    ...app,
    dataDir,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
