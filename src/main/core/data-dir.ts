import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name Electron uses for `app.getPath('userData')` (package.json productName). */
export const PRODUCT_NAME = 'Trove';

/**
 * The same per-OS folder Electron's `userData` resolves to, so the CLI, the
 * browser mode and the desktop app share one store by default.
 * `TROVE_DATA_DIR` overrides it (the CLI's --data-dir overrides both).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.TROVE_DATA_DIR) return env.TROVE_DATA_DIR;
  const home = homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
  }
}

/** The SQLite file inside a data dir. */
export const databaseFile = (dataDir: string): string => join(dataDir, 'trove.db');
