import { resolve } from 'node:path';
import type { CommandOutput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Core } from '../core/app';
import type { StoredConnector } from '../core/store/connectors.repo';
import { callCommand } from './dispatch-command';

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

/**
 * `trove add-folder`: the contract's addLocalFolder, through the dispatcher.
 * The CLI resolves a relative path against the working directory first, and
 * answers an already-connected folder itself, with the command that syncs it.
 */
export async function addFolder(
  core: Core,
  dir: string,
  options: { name?: string; include?: string[]; exclude?: string[]; maxSizeMb?: number; gitignore?: boolean },
): Promise<CommandOutput<'addLocalFolder'>> {
  const path = resolve(dir);
  const existing = core.repos.connectors.listByType('local_folder').find((c) => c.settings.path === path);
  if (existing) {
    throw new AppError('CONFLICT', `${path} is already connected as "${existing.name}". Sync it with \`trove sync\`.`);
  }
  return callCommand(core, 'addLocalFolder', {
    path,
    name: options.name ?? folderName(path),
    include: options.include?.length ? options.include : undefined,
    exclude: options.exclude?.length ? options.exclude : undefined,
    maxFileSizeBytes: options.maxSizeMb === undefined ? undefined : Math.round(options.maxSizeMb * 1024 * 1024),
    respectGitignore: options.gitignore,
  });
}

/** Imports files and folders (resolved against the working directory) through the contract's importPaths. */
export function importPaths(core: Core, paths: string[]): Promise<CommandOutput<'importPaths'>> {
  return callCommand(core, 'importPaths', { paths: paths.map((p) => resolve(p)) });
}

/** Queues a sync of one connector through the contract's syncConnector. */
export function syncConnector(
  core: Core,
  connectorId: string,
  mode: 'full' | 'incremental',
): Promise<{ jobId: string }> {
  return callCommand(core, 'syncConnector', { connectorId, mode });
}

function folderName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}
