import { z } from 'zod';
import { AbsolutePath, command, ConnectorStatus, ConnectorType, Count, Empty, Id, Timestamp } from './common';
import { RunProgress } from './sync-logs';

export const DocumentCounts = z.object({
  total: Count,
  pending: Count,
  processing: Count,
  completed: Count,
  error: Count,
  skipped: Count,
  deleted: Count,
});
export type DocumentCounts = z.infer<typeof DocumentCounts>;

/** One connector as the Connectors screen shows it. Settings never contain secrets. */
export const ConnectorSummary = z.object({
  id: Id,
  type: ConnectorType,
  name: z.string(),
  status: ConnectorStatus,
  settings: z.record(z.string(), z.unknown()),
  lastSyncAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  documentCounts: DocumentCounts,
  /** True while a sync of this connector is queued or running, or its last run is still indexing. */
  syncing: z.boolean(),
  /** The open run (syncing or indexing), if any. */
  run: RunProgress.nullable(),
  /** A sync is queued but has not started. */
  syncQueued: z.boolean(),
});
export type ConnectorSummary = z.infer<typeof ConnectorSummary>;

const GlobList = z.array(z.string().min(1).max(500)).max(200);

export { DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES } from '../file-size-limit';

export const LocalFolderOptions = z.object({
  path: AbsolutePath,
  /** Display name; default: the folder's base name. */
  name: z.string().min(1).max(200).optional(),
  /** Globs relative to the folder; default: every supported file. */
  include: GlobList.optional(),
  /** Globs relative to the folder; default: DEFAULT_EXCLUDE (hidden files and folders, keys, dependencies, OS and editor junk); a list replaces it. */
  exclude: GlobList.optional(),
  /** Leave out what the folder's .gitignore files ignore (build output, dependencies); default true. */
  respectGitignore: z.boolean().optional(),
  /** Files larger than this are recorded as skipped; default DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES (25 MB). */
  maxFileSizeBytes: z
    .number()
    .int()
    .positive()
    .max(2 ** 40)
    .optional(),
});

const ConnectorRef = z.object({ connectorId: Id });
const ConnectorResult = z.object({ connector: ConnectorSummary });
const ConnectorAndJob = z.object({ connector: ConnectorSummary, jobId: Id.nullable() });

export const GoogleAuthState = z.enum(['pending', 'connected', 'failed', 'expired']);

export const connectorCommands = {
  listConnectors: command({
    summary: 'Every connector with status and document counts.',
    input: Empty,
    output: z.object({ items: z.array(ConnectorSummary) }),
  }),
  addLocalFolder: command({
    summary: 'Watch a folder; starts a first full sync (jobId).',
    input: LocalFolderOptions,
    output: ConnectorAndJob,
  }),
  addGoogleDrive: command({
    summary: 'Start the OAuth hand-off: returns the consent URL the system browser must open.',
    input: z.object({ name: z.string().min(1).max(200).optional() }),
    output: z.object({ authSessionId: Id, authUrl: z.url({ protocol: /^https?$/ }) }),
  }),
  getGoogleDriveAuthStatus: command({
    summary: 'Poll the OAuth hand-off started by addGoogleDrive.',
    input: z.object({ authSessionId: Id }),
    output: z.object({ state: GoogleAuthState, connector: ConnectorSummary.nullable(), error: z.string().nullable() }),
  }),
  addNotion: command({
    summary: 'Connect a Notion workspace with an integration token (stored in the keychain, never returned).',
    input: z.object({
      name: z.string().min(1).max(200),
      token: z.string().min(8, 'is too short to be a Notion token').max(500),
    }),
    output: ConnectorAndJob,
  }),
  updateConnector: command({
    summary: 'Rename a connector or change its (non-secret) settings.',
    input: z.object({
      connectorId: Id,
      name: z.string().min(1).max(200).optional(),
      settings: z.record(z.string(), z.unknown()).optional(),
    }),
    output: ConnectorResult,
  }),
  pauseConnector: command({ summary: 'Stop syncing until resumed.', input: ConnectorRef, output: ConnectorResult }),
  resumeConnector: command({ summary: 'Sync again.', input: ConnectorRef, output: ConnectorResult }),
  syncConnector: command({
    summary: 'Queue a sync now.',
    input: z.object({ connectorId: Id, mode: z.enum(['full', 'incremental']).default('incremental') }),
    output: z.object({ jobId: Id }),
  }),
  previewRemoveConnector: command({
    summary: 'What removing the connector would delete.',
    input: ConnectorRef,
    output: z.object({ connectorId: Id, name: z.string(), documents: Count, chunks: Count, syncLogs: Count }),
  }),
  removeConnector: command({
    summary: 'Delete a connector with its documents, chunks, vectors and history.',
    input: z.object({
      connectorId: Id,
      confirm: z.literal(true, 'must be true: removing deletes every indexed document of the connector'),
    }),
    output: z.object({ documents: Count, chunks: Count }),
  }),
};
