import type { Core, CoreOptions } from '../core/app';
import type { GlobalOptions } from './context';

/**
 * `withCore` of context.ts, imported on first use: registering a command must
 * not load the core (SQLite, connectors, models), or every start of `trove`,
 * `--version` included, would pay for it.
 */
export async function withCore<T>(
  options: GlobalOptions,
  coreOptions: Partial<CoreOptions>,
  run: (core: Core) => Promise<T>,
): Promise<T> {
  const context = await import('./context');
  return context.withCore(options, coreOptions, run);
}
