/**
 * electron-builder's own configuration loader and schema check, reached
 * through the installed electron-builder, so tests read electron-builder.yml
 * exactly as `npm run dist` does.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

// The exact app-builder-lib (and @electron/fuses) that `npm run dist` uses.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const libRequire = createRequire(builderRequire.resolve('app-builder-lib/package.json'));

/** The parts of electron-builder's Configuration the tests read. */
export interface BuilderConfig {
  asar?: boolean | { disableIntegrity?: boolean } | null;
  asarUnpack?: string[] | string | null;
  extraResources?: Array<{ from: string; to: string }> | null;
  electronFuses?: Record<string, boolean> | null;
}

const { getConfig, validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
};
const { PlatformPackager } = builderRequire('app-builder-lib') as {
  PlatformPackager: {
    prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string, unknown>> };
  };
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** Fuse names to their index in the wire (`RunAsNode` -> 0, ...). */
export const { FuseV1Options } = libRequire('@electron/fuses') as { FuseV1Options: Record<string, number> };

/** Validates `config` against electron-builder's schema; rejects with its message. */
export function validateBuilderConfig(config: BuilderConfig): Promise<void> {
  return validateConfiguration(config, new DebugLogger(false));
}

/** electron-builder.yml, loaded and validated as electron-builder does. */
export async function loadBuilderConfig(): Promise<BuilderConfig> {
  const config = await getConfig(ROOT, null, null);
  await validateBuilderConfig(config);
  return config;
}

/** What electron-builder hands @electron/fuses before signing: wire index -> state. */
export function fuseWire(fuses: Record<string, boolean>): Promise<Record<string, unknown>> {
  return PlatformPackager.prototype.generateFuseConfig.call(null, fuses);
}
