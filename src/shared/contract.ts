/**
 * The one contract between the UI and the core (docs/architecture.md).
 * Every command has a zod input and output schema; events are one
 * discriminated union. Types are derived from the schemas, never written
 * twice: the preload, the IPC handler, the HTTP server, the dispatcher, the
 * renderer client and the core's TroveApi all come from here.
 *
 * Grouped by feature in ./contract/*.ts; this file assembles them.
 */
import type { z } from 'zod';
import type { ErrorInfo } from './errors';
import { appCommands, modelCommands, notificationCommands, settingsCommands } from './contract/settings';
import { connectorCommands } from './contract/connectors';
import { documentCommands, jobCommands } from './contract/documents';
import { importCommands, previewCommands, searchCommands } from './contract/search';
import { shellCommands } from './contract/shell';
import { syncLogCommands } from './contract/sync-logs';

export * from './contract/common';
export * from './contract/connectors';
export * from './contract/documents';
export * from './contract/events';
export * from './contract/search';
export * from './contract/settings';
export * from './contract/shell';
export * from './contract/sync-logs';

/** Commands the core answers, in every shape (desktop, browser, CLI). */
export const coreCommands = {
  ...connectorCommands,
  ...documentCommands,
  ...jobCommands,
  ...syncLogCommands,
  ...searchCommands,
  ...previewCommands,
  ...importCommands,
  ...settingsCommands,
  ...modelCommands,
  ...notificationCommands,
  ...appCommands,
};

/** Every command a UI may call: the core's plus the desktop shell's. */
export const commands = { ...coreCommands, ...shellCommands };

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CoreCommandName = keyof typeof coreCommands;
export type ShellCommandName = keyof typeof shellCommands;

/** What a caller passes (defaults may be omitted). */
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
/** What a handler receives, after validation and defaults. */
export type CommandArgs<K extends CommandName> = z.output<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;

/** The core's implementation of the contract (src/main/core/api/trove-api.ts). */
export type TroveApi = { [K in CoreCommandName]: (input: CommandArgs<K>) => Promise<CommandOutput<K>> };
/** The Electron shell's own commands (native dialogs, system browser). */
export type ShellApi = { [K in ShellCommandName]: (input: CommandArgs<K>) => Promise<CommandOutput<K>> };

/** Every call returns this; errors never travel as exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
export type CommandResult<K extends CommandName> = Result<CommandOutput<K>>;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}

export function isShellCommand(name: CommandName): name is ShellCommandName {
  return Object.prototype.hasOwnProperty.call(shellCommands, name);
}

export * from './contract/csp';
export * from './contract/ipc';
