import { resolve } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core/app';
import { defaultDataDir } from '../core/data-dir';
import { createLogger } from '../core/logger';

export interface GlobalOptions {
  dataDir?: string;
  verbose?: boolean;
}

export function resolveDataDir(options: GlobalOptions): string {
  return resolve(options.dataDir ?? defaultDataDir());
}

/** Opens the core for one CLI command and always closes it, even on errors. */
export async function withCore<T>(
  options: GlobalOptions,
  coreOptions: Partial<CoreOptions>,
  run: (core: Core) => Promise<T>,
): Promise<T> {
  const core = await createCore({
    dataDir: resolveDataDir(options),
    logger: createLogger({ level: options.verbose ? 'debug' : 'warn' }),
    watch: false,
    relay: false,
    ...coreOptions,
  });
  try {
    return await run(core);
  } finally {
    await core.close();
  }
}

/** Prints a value as JSON on stdout (machine-readable output of `--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
