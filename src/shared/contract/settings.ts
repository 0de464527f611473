import { z } from 'zod';
import { command, Count, Empty, Id, Timestamp } from './common';

export const EmbeddingProvider = z.enum(['local', 'gemini']);
export type EmbeddingProvider = z.infer<typeof EmbeddingProvider>;

/** Secrets are write-only: reading returns whether one is set and its last four characters. */
export const MaskedSecret = z.object({ set: z.boolean(), masked: z.string().nullable() });

/** A language OCR can read, from the language data installed with Trove. */
export const OcrLanguageInfo = z.object({ code: z.string().min(1), name: z.string() });

/** How scanned pages and images are read (OCR). */
export const OcrSettingsView = z.object({
  /** Tesseract codes the pages are read with, e.g. `['eng']`. */
  languages: z.array(z.string().min(1)).min(1),
  /** The languages whose data is installed (packaged with the app); `languages` is chosen from these. */
  availableLanguages: z.array(OcrLanguageInfo),
  /** Pages read with a mean confidence (0-100) below this are listed on the document, not indexed. */
  minConfidence: z.number().min(0).max(100),
});
export type OcrSettingsView = z.infer<typeof OcrSettingsView>;

/**
 * A global shortcut as Electron writes it ("CommandOrControl+Shift+Space"):
 * at least one modifier (a bare key taken from every other app would be
 * unusable) and one key.
 */
export const Accelerator = z
  .string()
  .trim()
  .max(80)
  .regex(
    /^(?:(?:CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)+(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|Plus|[`\-=[\];',./\\])$/i,
    'must be modifiers and one key, like CommandOrControl+Shift+Space',
  );

/** The quick-search window's global shortcut until the person changes it. */
export const DEFAULT_QUICK_SEARCH_SHORTCUT = 'CommandOrControl+Shift+Space';

export const SettingsView = z.object({
  embedding: z.object({ provider: EmbeddingProvider, modelId: z.string() }),
  ocr: OcrSettingsView,
  geminiKey: MaskedSecret,
  /** The Google OAuth client used to connect Drive: the id is not secret, the desktop client's secret is kept in the keychain. */
  googleClient: z.object({ clientId: z.string().nullable(), secret: MaskedSecret }),
  relayUrl: z.string().nullable(),
  /** The desktop app's global shortcut for the quick-search window; null: switched off. */
  quickSearchShortcut: z.string().nullable(),
  dataDir: z.string(),
  dataSizeBytes: Count,
});
export type SettingsView = z.infer<typeof SettingsView>;

export const ModelStatus = z.enum(['not_downloaded', 'downloading', 'ready', 'failed']);
export type ModelStatus = z.infer<typeof ModelStatus>;

export const ModelInfo = z.object({
  id: z.string().min(1),
  name: z.string(),
  provider: EmbeddingProvider,
  description: z.string(),
  dimensions: z.number().int().positive(),
  sizeBytes: Count.nullable(),
  status: ModelStatus,
  downloadedBytes: Count,
  error: z.string().nullable(),
  /** The model new documents are embedded with. */
  active: z.boolean(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const NotificationLevel = z.enum(['info', 'success', 'warning', 'error']);
export type NotificationLevel = z.infer<typeof NotificationLevel>;
export const NotificationItem = z.object({
  id: z.number().int().positive(),
  type: z.string(),
  level: NotificationLevel,
  title: z.string(),
  message: z.string().nullable(),
  connectorId: Id.nullable(),
  documentId: Id.nullable(),
  jobId: Id.nullable(),
  /** The run it is about: its failed files can be listed and retried. */
  syncLogId: Id.nullable(),
  /** How many files failed in that run (0 when none). */
  failedCount: Count,
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export type NotificationItem = z.infer<typeof NotificationItem>;

export const settingsCommands = {
  getSettings: command({
    summary: 'Preferences, masked secrets and the data folder.',
    input: Empty,
    output: SettingsView,
  }),
  updateSettings: command({
    summary:
      'Change the embedding provider/model, the relay URL (null clears it), the OCR languages and confidence floor, or the quick-search shortcut.',
    input: z
      .object({
        embeddingProvider: EmbeddingProvider.optional(),
        modelId: z.string().min(1).max(200).optional(),
        relayUrl: z
          .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
          .nullable()
          .optional(),
        /** OCR languages, each one of `ocr.availableLanguages`; used for pages read from now on. */
        ocrLanguages: z.array(z.string().min(1).max(20)).min(1).max(10).optional(),
        ocrMinConfidence: z.number().int().min(0).max(100).optional(),
        /** The quick-search window's global shortcut (desktop app); null switches it off. */
        quickSearchShortcut: Accelerator.nullable().optional(),
      })
      .strict(),
    output: SettingsView,
  }),
  setGeminiKey: command({
    summary: 'Store the Gemini API key in the keychain.',
    input: z.object({ apiKey: z.string().trim().min(10, 'is too short to be a Gemini API key').max(200) }),
    output: SettingsView,
  }),
  setGoogleClient: command({
    summary: 'Store the Google OAuth client for Drive: its id in the settings, its secret (if any) in the keychain.',
    input: z.object({
      clientId: z
        .string()
        .trim()
        .min(10, 'is too short to be a Google OAuth client id')
        .max(300)
        .refine((v) => !/\s/.test(v), 'must not contain spaces'),
      /** Desktop clients have one (Google does not treat it as confidential); omit to keep the stored one. */
      clientSecret: z.string().trim().min(6, 'is too short to be a client secret').max(300).optional(),
    }),
    output: SettingsView,
  }),
  clearGoogleClient: command({
    summary: 'Forget the Google OAuth client (connected Drives keep working with the tokens they have).',
    input: Empty,
    output: SettingsView,
  }),
  clearGeminiKey: command({
    summary: 'Remove the Gemini API key from the keychain.',
    input: Empty,
    output: SettingsView,
  }),
};

export const modelCommands = {
  listModels: command({
    summary: 'Embedding models and their download status.',
    input: Empty,
    output: z.object({ items: z.array(ModelInfo) }),
  }),
  downloadModel: command({
    summary: 'Start downloading a local model; progress arrives as events.',
    input: z.object({ modelId: z.string().min(1) }),
    output: z.object({ model: ModelInfo }),
  }),
  cancelModelDownload: command({
    summary: 'Stop a download in progress.',
    input: z.object({ modelId: z.string().min(1) }),
    output: z.object({ model: ModelInfo }),
  }),
};

export const notificationCommands = {
  listNotifications: command({
    summary: 'The events feed, newest first.',
    input: z.object({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ items: z.array(NotificationItem), unreadCount: Count }),
  }),
  markNotificationsRead: command({
    summary: 'Mark some (ids) or all (no ids) notifications read.',
    input: z.object({ ids: z.array(z.number().int().positive()).max(1000).optional() }),
    output: z.object({ unreadCount: Count }),
  }),
};

/**
 * Whether the disk holding Trove's data takes writes. While it is `full` or
 * `io` (failing), background work is paused and `message` says what to do;
 * Trove resumes by itself once writes succeed again.
 */
export const StorageStatusView = z.object({
  status: z.enum(['ok', 'full', 'io']),
  message: z.string().nullable(),
  /** When writes started failing; null when they work. */
  since: Timestamp.nullable(),
});
export type StorageStatusView = z.infer<typeof StorageStatusView>;

export const appCommands = {
  getAppInfo: command({
    summary: 'Version and where the data lives.',
    input: Empty,
    output: z.object({ version: z.string(), dataDir: z.string(), databasePath: z.string() }),
  }),
  getStorageStatus: command({
    summary: 'Whether the data disk takes writes (background work pauses while it is full or failing).',
    input: Empty,
    output: StorageStatusView,
  }),
};
