import type { z } from 'zod';
import {
  commands,
  isCommandName,
  isShellCommand,
  type CommandName,
  type Result,
  type ShellApi,
  type TroveApi,
} from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../logger';

export interface DispatcherOptions {
  /** The Electron shell's own commands; absent in browser mode and the CLI. */
  shell?: ShellApi;
  /**
   * Validate every output against its schema too. Default: on unless
   * NODE_ENV is 'production' (a mismatch is a bug in the core, so catching it
   * in development and tests is cheap insurance).
   */
  validateOutput?: boolean;
}

export interface Dispatcher {
  /** Never throws: every failure comes back as `{ ok: false, error }`. */
  dispatch(command: string, input: unknown): Promise<Result<unknown>>;
}

type AnyHandler = (input: unknown) => Promise<unknown>;

/**
 * The one door into the core for every transport: looks the command up,
 * validates the input with its schema, runs it and turns any throw into a
 * typed error result. IPC (the desktop app), HTTP (`trove serve`) and the
 * CLI's commands that change state (add-folder, import, sync, gemini-key,
 * webhooks --relay; through src/main/cli/dispatch-command.ts) all come here.
 * The read-only paths that never open the core (`trove search --mode
 * keyword`, `trove mcp`) use src/main/core/read-only instead: a query-only
 * SQLite connection that can run beside a busy desktop app, with no queue,
 * no writes and no commands to dispatch.
 */
export function createDispatcher(api: TroveApi, logger: Logger, options: DispatcherOptions = {}): Dispatcher {
  const validateOutput = options.validateOutput ?? process.env.NODE_ENV !== 'production';
  const log = logger.child('api');

  function handlerFor(command: CommandName): AnyHandler | null {
    const source: Record<string, unknown> | undefined = isShellCommand(command) ? options.shell : api;
    const fn = source?.[command];
    return typeof fn === 'function' ? (fn.bind(source) as AnyHandler) : null;
  }

  async function dispatch(command: string, input: unknown): Promise<Result<unknown>> {
    if (!isCommandName(command)) {
      return fail('VALIDATION', `Unknown command "${truncate(command)}".`);
    }
    const spec = commands[command];
    const handler = handlerFor(command);
    if (!handler) {
      return isShellCommand(command)
        ? fail('UNAVAILABLE', `"${command}" is only available in the desktop app.`)
        : fail('UNAVAILABLE', `"${command}" is not available in this version of the core.`);
    }
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      return fail('VALIDATION', `Invalid input for "${command}": ${describeIssues(parsed.error)}`);
    }
    const started = performance.now();
    try {
      const value = await handler(parsed.data);
      if (validateOutput) {
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          log.error('output failed its schema', { command, issues: describeIssues(checked.error) });
          return fail(
            'INTERNAL',
            `Trove returned an unexpected answer to "${command}". This is a bug; please report it.`,
          );
        }
        return { ok: true, value: checked.data };
      }
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) {
        log.debug('command failed', { command, code: error.code, ms: Math.round(performance.now() - started) });
        return fail(error.code, error.message);
      }
      // Unknown throws may carry anything (paths, payloads, tokens) in their
      // message: log only the error's name, and give the caller a generic text.
      log.error('command threw', { command, errorName: error instanceof Error ? error.name : typeof error });
      return fail('INTERNAL', `Something went wrong while running "${command}". Details are in the log.`);
    }
  }

  return { dispatch };
}

function fail(code: AppError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** "path.to.field: message; other: message", so a malformed call names the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
