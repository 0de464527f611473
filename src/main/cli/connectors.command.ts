import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Core } from '../core/app';
import type { StoredConnector } from '../core/store/connectors.repo';

/** Finds a connector by id, or by name when the name is unique. */
export function findConnector(core: Core, idOrName: string): StoredConnector {
  const all = core.repos.connectors.list();
  const byId = all.find((c) => c.id === idOrName);
  if (byId) return byId;
  const byName = all.filter((c) => c.name === idOrName);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new AppError(
      'CONFLICT',
      `Several connectors are named "${idOrName}"; use its id (see \`trove connectors\`).`,
    );
  }
  throw new AppError('NOT_FOUND', `No connector "${idOrName}". List them with \`trove connectors\`.`);
}

export async function addFolder(
  core: Core,
  dir: string,
  options: { name?: string; include?: string[]; exclude?: string[]; maxSizeMb?: number },
): Promise<{ connector: StoredConnector; jobId: string | null }> {
  const path = resolve(dir);
  const settings: Record<string, unknown> = { path };
  if (options.include?.length) settings.include = options.include;
  if (options.exclude?.length) settings.exclude = options.exclude;
  if (options.maxSizeMb !== undefined) settings.maxFileSizeBytes = Math.round(options.maxSizeMb * 1024 * 1024);
  const existing = core.repos.connectors.listByType('local_folder').find((c) => c.settings.path === path);
  if (existing) {
    throw new AppError('CONFLICT', `${path} is already connected as "${existing.name}". Sync it with \`trove sync\`.`);
  }
  return core.connectors.add({ type: 'local_folder', name: options.name ?? folderName(path), settings });
}

/** Imports files and folders (resolved against the working directory) through the import connector. */
export function importPaths(core: Core, paths: string[]): Promise<{ connectorId: string; jobId: string }> {
  return core.connectors.importPaths(paths.map((p) => resolve(p)));
}

function folderName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}
