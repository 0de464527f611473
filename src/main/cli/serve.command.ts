import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { createDispatcher } from '../core/api/dispatch';
import { createTroveApp } from '../core/api/trove-app';
import { uploadsDir } from '../core/data-dir';
import { startServeServer } from '../serve';
import { createCliLogger } from './context';
import { appVersion, packageRoot } from './package-info';
import { terminalSafe } from './terminal-text';

/**
 * Browser mode: the core, the built renderer and the contract over HTTP on
 * 127.0.0.1, with a random access token in the printed URL. Runs until
 * SIGINT/SIGTERM, then shuts down gracefully.
 */
export async function runServe(options: {
  dataDir: string;
  verbose?: boolean;
  port?: number;
  host: string;
}): Promise<void> {
  const rendererDir = process.env.TROVE_RENDERER_DIR ?? join(packageRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new AppError('NOT_FOUND', `The UI is not built yet (${rendererDir}). Run \`npm run build\` first.`);
  }
  const logger = createCliLogger(options.verbose ? 'debug' : 'info');
  const app = await createTroveApp({ dataDir: options.dataDir, logger, version: appVersion() });
  const dispatcher = createDispatcher(app.api, logger);
  const server = await startServeServer({
    dispatcher,
    onEvent: app.onEvent,
    rendererDir,
    host: options.host,
    port: options.port,
    logger,
    uploadDir: uploadsDir(options.dataDir),
  });
  process.stdout.write(
    `Trove is running at ${server.url}\n(data: ${terminalSafe(options.dataDir)}; press Ctrl+C to stop)\n`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = (): void => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await app.close();
}
