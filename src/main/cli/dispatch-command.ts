import type { CommandInput, CommandOutput, CoreCommandName } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Core } from '../core/app';
import { appVersion } from './package-info';

/**
 * Runs one contract command for the CLI through the same dispatcher as IPC
 * and HTTP: the input is checked by the contract's zod schema, and a failure
 * comes back as the same typed error, thrown here as an AppError so the CLI
 * prints its message and exits 1. The API is built per call and closed
 * after it (a command returns once its work is queued; the queue belongs to
 * the core), and loaded on first use so `trove --version` never loads it.
 */
export async function callCommand<K extends CoreCommandName>(
  core: Core,
  name: K,
  input: CommandInput<K>,
): Promise<CommandOutput<K>> {
  const [{ createTroveApi }, { createDispatcher }] = await Promise.all([
    import('../core/api/trove-api'),
    import('../core/api/dispatch'),
  ]);
  const handle = createTroveApi(core, { version: appVersion() });
  try {
    const result = await createDispatcher(handle.api, core.logger).dispatch(name, input);
    if (!result.ok) throw new AppError(result.error.code, result.error.message);
    return result.value as CommandOutput<K>;
  } finally {
    handle.close();
  }
}
