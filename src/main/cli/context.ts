import { resolve } from 'node:path';
import type { Core, CoreOptions } from '../core/app';
import { defaultDataDir } from '../core/data-dir';
import { createLogger, type Logger } from '../core/logger';
import { terminalSafeJson, terminalSafeJsonText } from './terminal-text';

export interface GlobalOptions {
  dataDir?: string;
  verbose?: boolean;
}

export function resolveDataDir(options: GlobalOptions): string {
  return resolve(options.dataDir ?? defaultDataDir());
}

/**
 * A command waits this long for the library's write lock while the app
 * (or another command) holds it, as for a large search-index build: a
 * terminal can wait where the app's window cannot.
 */
const CLI_BUSY_TIMEOUT_MS = 60_000;

/**
 * Opens the core for one CLI command and always closes it, even on errors.
 * The core (SQLite, connectors, models, parsers) is imported here, on first
 * use, so that merely starting `trove` (`--version`, `--help`, the commands
 * that do not need it) never loads it.
 */
export async function withCore<T>(
  options: GlobalOptions,
  coreOptions: Partial<CoreOptions>,
  run: (core: Core) => Promise<T>,
): Promise<T> {
  const { createCore } = await import('../core/app');
  const core = await createCore({
    dataDir: resolveDataDir(options),
    logger: createCliLogger(options.verbose ? 'debug' : 'warn'),
    watch: false,
    relay: false,
    busyTimeoutMs: CLI_BUSY_TIMEOUT_MS,
    ...coreOptions,
  });
  try {
    return await run(core);
  } finally {
    await core.close();
  }
}

/** Prints a value as JSON on stdout (machine-readable output of `--json`): exact, with no raw control characters. */
export function printJson(value: unknown): void {
  process.stdout.write(terminalSafeJson(value, 2) + '\n');
}

/**
 * The core's JSON-lines logger on stderr, for a terminal: its fields quote
 * paths and error messages, so the control characters JSON leaves raw are
 * escaped too (each line still parses to the same object).
 */
export function createCliLogger(level: 'debug' | 'info' | 'warn'): Logger {
  return createLogger({
    level,
    write: (line) => process.stderr.write(terminalSafeJsonText(line) + '\n'),
  });
}
