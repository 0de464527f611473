import { createLogger, type LogLevel } from '../main/core/logger';
import { toAppError } from '../shared/errors';
import { loadRelayConfig } from './config';
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

void main();
