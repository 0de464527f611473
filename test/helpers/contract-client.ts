import type { TroveApp } from '../../src/main/core/api/trove-app';
import { commands, type CommandInput, type CommandOutput, type CoreCommandName } from '../../src/shared/contract';

/** The core API, each command typed by its contract. */
export type ContractClient = { [K in CoreCommandName]: (input: CommandInput<K>) => Promise<CommandOutput<K>> };

/** The app's API called as the UI calls it: every input validated and defaulted by the contract first. */
export function contractClient(app: Pick<TroveApp, 'api'>): ContractClient {
  return new Proxy({} as ContractClient, {
    get: (_, name: CoreCommandName) => (input: unknown) =>
      (app.api[name] as (i: unknown) => Promise<unknown>)(commands[name].input.parse(input)),
  });
}
