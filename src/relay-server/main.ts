import { createLogger, type Logger, type LogLevel } from '../node-shared/logger';
import { toAppError } from '../shared/errors';
import { loadRelayConfig } from './config';
import { errorSummary } from './http-io';
import { createRelayServer } from './server';

/**
 * `npm run relay [-- --port 8787 --data ./relay.sqlite --public-url https://relay.example.com]`.
 * Logs are JSON lines on stderr. SIGTERM/SIGINT stop it gracefully.
 */
async function main(): Promise<void> {
  const logger = createLogger({
    scope: 'relay',
    level: (process.env.RELAY_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  });
  keepServingThroughStrayErrors(logger);
  let relay;
  try {
    const config = loadRelayConfig(process.argv.slice(2), process.env);
    relay = createRelayServer({ config, logger });
    await relay.listen();
  } catch (error) {
    logger.error('relay failed to start', { error: toAppError(error).message });
    process.exitCode = 1;
    return;
  }
  const server = relay;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: toAppError(error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The relay serves every user's webhooks, so one stray error must not stop
 * it: requests are each handled inside their own error boundary, and this
 * is the net under that net. An error that escapes (a rejected promise no one
 * awaited, a throw in a timer or an event listener) is logged and the relay
 * keeps serving. Only the relay's entry point does this; library code never
 * touches process-wide handlers.
 */
function keepServingThroughStrayErrors(logger: Logger): void {
  let reporting = false;
  const report = (kind: string, error: unknown): void => {
    // If logging itself fails (stderr gone), reporting that failure would loop.
    if (reporting) return;
    reporting = true;
    try {
      logger.error(kind, { error: errorSummary(error), frames: stackFrames(error) });
    } finally {
      reporting = false;
    }
  };
  process.on('unhandledRejection', (reason) => report('unhandled rejection; still serving', reason));
  process.on('uncaughtException', (error) => report('uncaught exception; still serving', error));
  // A closed log pipe must not become an endless stream of uncaught EPIPE errors.
  process.stderr.on('error', () => {});
}

/** Where the error was thrown (file:line frames only, without the message line). */
function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  return error.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .map((line) => line.trim());
}

void main();
