import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES } from '../../../../shared/contract/connectors';
import { AppError } from '../../../../shared/errors';
import { DEFAULT_EXCLUDE } from '../fs/path-filter';
import { absolutePathSchema, globListSchema, maxFileSizeSchema } from '../fs/settings-fields';
import { parseConnectorSettings } from '../registry';

/**
 * Settings of the `local_import` connector: every file and folder a person
 * dropped on the window or passed to `trove import`.
 */
export const localImportSettingsSchema = z.object({
  /** Absolute, normalised, without duplicates, in the order they were imported. */
  paths: z
    .array(absolutePathSchema('file or folder to import'))
    .default([])
    .transform((paths) => [...new Set(paths)]),
  /** Applied inside imported folders (a file imported by name is always taken). Default: DEFAULT_EXCLUDE. */
  exclude: globListSchema.default([...DEFAULT_EXCLUDE]),
  /** Larger files are recorded as skipped with a reason, never read. Default DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES (25 MB). */
  maxFileSizeBytes: maxFileSizeSchema.default(DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES),
});

export type LocalImportSettings = z.output<typeof localImportSettingsSchema>;
export type LocalImportSettingsInput = z.input<typeof localImportSettingsSchema>;

export interface LocalImportCursor {
  /** Epoch ms when the last full sync (the one that may delete) started; null before the first. */
  lastFullScanAt: number | null;
}

/**
 * Adds newly imported paths to the settings: resolved (`/a/./b/` becomes
 * `/a/b`), deduplicated, appended in order. Paths must be absolute; the CLI
 * resolves them against its working directory first. Throws AppError
 * VALIDATION for a relative path or invalid existing settings.
 */
export function addImportPaths(settings: unknown, paths: readonly string[]): LocalImportSettings {
  const current = parseConnectorSettings('local_import', localImportSettingsSchema, settings ?? {});
  const relativeOnes = paths.filter((path) => !isAbsolute(path.trim()));
  if (relativeOnes.length > 0) {
    throw new AppError('VALIDATION', `Imported paths must be absolute: ${relativeOnes.join(', ')}`, {
      details: { paths: relativeOnes },
    });
  }
  const merged = [...new Set([...current.paths, ...paths.map((path) => resolve(path.trim()))])];
  return { ...current, paths: merged };
}
