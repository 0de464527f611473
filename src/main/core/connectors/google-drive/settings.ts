import { z } from 'zod';

export const DRIVE_READONLY_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
export const DEFAULT_DRIVE_API_BASE_URL = 'https://www.googleapis.com';
export const DEFAULT_GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const DEFAULT_GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** 50 MB: large enough for long PDFs, small enough not to pull videos. */
export const DEFAULT_MAX_FILE_SIZE_BYTES = 50 * 1024 * 1024;

/** Non-secret Google Drive settings, stored in connector_configs.settings. */
export const googleDriveSettingsSchema = z.object({
  /** OAuth client id of a "Desktop app" client from Google Cloud. */
  clientId: z.string().min(1),
  /** Drive API root. Default https://www.googleapis.com. */
  apiBaseUrl: z.string().url().default(DEFAULT_DRIVE_API_BASE_URL),
  /** Consent page. Default Google's. */
  oauthBaseUrl: z.string().url().default(DEFAULT_GOOGLE_AUTH_URL),
  /** Token endpoint. Default Google's. */
  tokenUrl: z.string().url().default(DEFAULT_GOOGLE_TOKEN_URL),
  /** Also list shared drives the person is a member of. Default false. */
  includeSharedDrives: z.boolean().default(false),
  /** Only files under these folders (at any depth). Default: everything. */
  folderIds: z.array(z.string().min(1)).optional(),
  /** Only these MIME types. Default: every type. */
  mimeTypes: z.array(z.string().min(1)).optional(),
  /** Larger files are recorded as skipped. Default 50 MB. */
  maxFileSizeBytes: z.number().int().positive().default(DEFAULT_MAX_FILE_SIZE_BYTES),
});

export type GoogleDriveSettingsInput = z.input<typeof googleDriveSettingsSchema>;
export type GoogleDriveSettings = z.output<typeof googleDriveSettingsSchema>;

/** What the connector saves between runs (connector_configs.sync_cursor). */
export const driveCursorSchema = z.object({ startPageToken: z.string().min(1) });
export type DriveCursor = z.infer<typeof driveCursorSchema>;
