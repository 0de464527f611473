import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirPrivateSync, restrictToOwner } from './private-files';

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

const DATABASE_NAME = 'trove.db';
const MODELS_FOLDER = 'models';
const UPLOADS_FOLDER = 'uploads';
const OCR_SOURCES_FOLDER = 'ocr-sources';

/** The SQLite file inside a data dir (its -wal and -shm files sit next to it). */
export const databaseFile = (dataDir: string): string => join(dataDir, DATABASE_NAME);

/** Downloaded embedding models: `<dataDir>/models/<id>/`. */
export const modelsDir = (dataDir: string): string => join(dataDir, MODELS_FOLDER);

/** Files dropped into the browser mode: `<dataDir>/uploads/<batch>/<name>`. */
export const uploadsDir = (dataDir: string): string => join(dataDir, UPLOADS_FOLDER);

/** Files waiting for OCR (scans, images), by the sha256 of their bytes: `<dataDir>/ocr-sources/<sha256>`. */
export const ocrSourcesDir = (dataDir: string): string => join(dataDir, OCR_SOURCES_FOLDER);

/** Whether a name in the data folder is one Trove writes (the database and its journals, models, uploads, OCR sources). */
const isTroveEntry = (name: string): boolean =>
  name.startsWith(DATABASE_NAME) || name === MODELS_FOLDER || name === UPLOADS_FOLDER || name === OCR_SOURCES_FOLDER;

/**
 * Creates the data folder owner-only, or makes one an older Trove created
 * (0755 folders, 0644 files) private: Trove's own entries in it first, then
 * the folder. Other files in the folder (the desktop app's browser profile,
 * or anything else when the data folder is shared) are not touched: the
 * private folder already keeps other users out of them. Returns how many
 * files and folders were changed.
 */
export function prepareDataDir(
  dataDir: string,
  onError?: (path: string, error: NodeJS.ErrnoException) => void,
): number {
  mkdirPrivateSync(dataDir);
  return restrictToOwner(dataDir, { entries: isTroveEntry, onError });
}
