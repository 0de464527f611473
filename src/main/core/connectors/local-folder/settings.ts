import { z } from 'zod';
import { DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES } from '../../../../shared/contract/connectors';
import { DEFAULT_EXCLUDE } from '../fs/path-filter';
import { absolutePathSchema, globListSchema, maxFileSizeSchema } from '../fs/settings-fields';

/**
 * Settings of a `local_folder` connector, as stored in connector_configs.
 * Globs match the path relative to the folder with `/` separators; a pattern
 * without a slash matches the file name at any depth (`*.md`).
 */
export const localFolderSettingsSchema = z.object({
  /** The folder to index; absolute, normalised. */
  path: absolutePathSchema('folder'),
  /** Only files matching one of these are indexed. Default: every file. */
  include: globListSchema.default([]),
  /** Files and folders matching any of these are skipped. Default: DEFAULT_EXCLUDE; setting it replaces the defaults. */
  exclude: globListSchema.default([...DEFAULT_EXCLUDE]),
  /** Larger files are recorded as skipped with a reason, never read. Default DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES (25 MB). */
  maxFileSizeBytes: maxFileSizeSchema.default(DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES),
  /** Follow symbolic links (loops are detected). Default false: links are skipped. */
  followSymlinks: z.boolean().default(false),
  /** Leave out what the folder's `.gitignore` files ignore (fs/ignore-files.ts). Default true. */
  respectGitignore: z.boolean().default(true),
});

/** Parsed settings, with defaults applied. */
export type LocalFolderSettings = z.output<typeof localFolderSettingsSchema>;
/** Settings as a person or the API supplies them (defaults optional). */
export type LocalFolderSettingsInput = z.input<typeof localFolderSettingsSchema>;

/** The cursor of a local folder: the size+mtime+hash state lives in the handler's `known` documents. */
export interface LocalFolderCursor {
  /** Epoch ms when the last complete walk of the folder started. */
  lastFullScanAt: number;
}
