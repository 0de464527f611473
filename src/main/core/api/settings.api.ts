import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_QUICK_SEARCH_SHORTCUT,
  type ModelInfo,
  type SettingsView,
  type TroveApi,
} from '../../../shared/contract';
import { AppError, toAppError } from '../../../shared/errors';
import type { Core } from '../app';
import { databaseFile } from '../data-dir';
import { LOCAL_MODELS, type ModelManifest } from '../embeddings/manifests';
import { packagedOcrLanguages } from '../ingest/ocr/languages';
import { secretAccounts } from '../secrets/secret-store';
import { DEFAULT_GEMINI, type EmbeddingConfig } from '../services/embedding.service';
import { GOOGLE_CLIENT_ID_SETTING } from './google-auth-sessions';
import { notificationView } from './views';

/** The quick-search window's global shortcut: an accelerator, or null when switched off. */
const QUICK_SEARCH_SHORTCUT_SETTING = 'shell.quickSearchShortcut';

type SettingsCommands = Pick<
  TroveApi,
  | 'getSettings'
  | 'updateSettings'
  | 'setGeminiKey'
  | 'clearGeminiKey'
  | 'setGoogleClient'
  | 'clearGoogleClient'
  | 'listModels'
  | 'downloadModel'
  | 'cancelModelDownload'
  | 'listNotifications'
  | 'markNotificationsRead'
  | 'getAppInfo'
  | 'getStorageStatus'
>;

interface DownloadState {
  downloadedBytes: number;
  error: string | null;
  abort: AbortController;
  running: boolean;
}

/** Progress of model downloads started from the UI, announced as model.download events. */
export class ModelDownloads {
  readonly states = new Map<string, DownloadState>();
  constructor(
    private readonly core: Core,
    private readonly announce: (modelId: string) => void,
  ) {}

  start(modelId: string): void {
    if (this.states.get(modelId)?.running) return;
    const state: DownloadState = { downloadedBytes: 0, error: null, abort: new AbortController(), running: true };
    this.states.set(modelId, state);
    const done = new Map<string, number>();
    void this.core.embeddings
      .download(
        modelId,
        (p) => {
          done.set(p.file, p.receivedBytes);
          state.downloadedBytes = [...done.values()].reduce((a, b) => a + b, 0);
          this.announce(modelId);
        },
        state.abort.signal,
      )
      .catch((error: unknown) => {
        // A download that filled the disk pauses background work like any other write.
        this.core.storage.report(error);
        const err = toAppError(error);
        state.error = err.code === 'CANCELLED' ? null : err.message;
      })
      .finally(() => {
        state.running = false;
        this.announce(modelId);
      });
    this.announce(modelId);
  }

  cancel(modelId: string): void {
    this.states.get(modelId)?.abort.abort();
  }

  close(): void {
    for (const s of this.states.values()) s.abort.abort();
  }
}

export async function modelInfo(core: Core, downloads: ModelDownloads, manifest: ModelManifest): Promise<ModelInfo> {
  const config = core.embeddings.config();
  const state = downloads.states.get(manifest.id);
  const status = await core.models.status(manifest.id);
  return {
    id: manifest.id,
    name: manifest.displayName,
    provider: 'local',
    description: `${manifest.dimensions}-dimensional vectors, ${manifest.license} licence, runs on this computer.`,
    dimensions: manifest.dimensions,
    sizeBytes: Math.round(manifest.sizeMb * 1_000_000),
    status:
      status === 'ready'
        ? 'ready'
        : status === 'downloading' || state?.running
          ? 'downloading'
          : status === 'failed' || state?.error
            ? 'failed'
            : 'not_downloaded',
    downloadedBytes: status === 'ready' ? Math.round(manifest.sizeMb * 1_000_000) : (state?.downloadedBytes ?? 0),
    error: state?.error ?? (status === 'failed' ? 'The downloaded files are damaged; download again.' : null),
    active: config.provider === 'local' && config.modelId === manifest.id,
  };
}

/** A secret as the UI may see it: whether it is set and its last four characters. */
function masked(secret: string | null): { set: boolean; masked: string | null } {
  return { set: secret !== null, masked: secret ? `••••${secret.slice(-4)}` : null };
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

export function settingsApi(core: Core, downloads: ModelDownloads, version: string): SettingsCommands {
  const view = async (): Promise<SettingsView> => {
    const config = core.embeddings.config();
    const key = await core.secrets.get(secretAccounts.geminiApiKey()).catch(() => null);
    const googleSecret = await core.secrets.get(secretAccounts.googleClientSecret()).catch(() => null);
    return {
      embedding: { provider: config.provider, modelId: config.provider === 'local' ? config.modelId : config.model },
      ocr: { ...core.ocr.get(), availableLanguages: packagedOcrLanguages() },
      geminiKey: masked(key),
      googleClient: {
        clientId: core.repos.settings.get<string | null>(GOOGLE_CLIENT_ID_SETTING, null),
        secret: masked(googleSecret),
      },
      relayUrl: core.repos.settings.get<string | null>('relay.url', null),
      quickSearchShortcut: core.repos.settings.get<string | null>(
        QUICK_SEARCH_SHORTCUT_SETTING,
        DEFAULT_QUICK_SEARCH_SHORTCUT,
      ),
      dataDir: core.dataDir,
      dataSizeBytes: directorySize(core.dataDir),
    };
  };
  const localModels = (): readonly ModelManifest[] => LOCAL_MODELS;

  return {
    getSettings: view,
    async updateSettings(input) {
      if (input.ocrLanguages !== undefined || input.ocrMinConfidence !== undefined) {
        core.ocr.update({ languages: input.ocrLanguages, minConfidence: input.ocrMinConfidence });
      }
      // null is stored as such: switched off stays off, unlike a missing setting (the default).
      if (input.quickSearchShortcut !== undefined)
        core.repos.settings.set(QUICK_SEARCH_SHORTCUT_SETTING, input.quickSearchShortcut);
      if (input.relayUrl !== undefined) {
        if (input.relayUrl === null) core.repos.settings.remove('relay.url');
        else core.repos.settings.set('relay.url', input.relayUrl.replace(/\/+$/, ''));
      }
      if (input.embeddingProvider !== undefined || input.modelId !== undefined) {
        const current = core.embeddings.config();
        const provider = input.embeddingProvider ?? current.provider;
        let next: EmbeddingConfig;
        if (provider === 'gemini') {
          next = { provider, model: input.modelId ?? DEFAULT_GEMINI.model, dimensions: DEFAULT_GEMINI.dimensions };
        } else {
          const modelId = input.modelId ?? (current.provider === 'local' ? current.modelId : localModels()[0]!.id);
          if (!localModels().some((m) => m.id === modelId)) {
            throw new AppError('VALIDATION', `Unknown local model "${modelId}".`);
          }
          next = { provider, modelId };
        }
        await core.embeddings.configure(next);
      }
      return view();
    },
    async setGeminiKey(input) {
      await core.secrets.set(secretAccounts.geminiApiKey(), input.apiKey.trim());
      if (core.embeddings.config().provider === 'gemini') await core.embeddings.reload();
      return view();
    },
    async setGoogleClient(input) {
      core.repos.settings.set(GOOGLE_CLIENT_ID_SETTING, input.clientId);
      if (input.clientSecret) await core.secrets.set(secretAccounts.googleClientSecret(), input.clientSecret);
      return view();
    },
    async clearGoogleClient() {
      core.repos.settings.remove(GOOGLE_CLIENT_ID_SETTING);
      await core.secrets.delete(secretAccounts.googleClientSecret());
      return view();
    },
    async clearGeminiKey() {
      await core.secrets.delete(secretAccounts.geminiApiKey());
      if (core.embeddings.config().provider === 'gemini') await core.embeddings.reload();
      return view();
    },
    async listModels() {
      return { items: await Promise.all(localModels().map((m) => modelInfo(core, downloads, m))) };
    },
    async downloadModel(input) {
      const manifest = localModels().find((m) => m.id === input.modelId);
      if (!manifest) throw new AppError('NOT_FOUND', `Unknown model "${input.modelId}".`);
      downloads.start(manifest.id);
      return { model: await modelInfo(core, downloads, manifest) };
    },
    async cancelModelDownload(input) {
      const manifest = localModels().find((m) => m.id === input.modelId);
      if (!manifest) throw new AppError('NOT_FOUND', `Unknown model "${input.modelId}".`);
      downloads.cancel(manifest.id);
      return { model: await modelInfo(core, downloads, manifest) };
    },
    async listNotifications(input) {
      return {
        items: core.repos.events.list({ unreadOnly: input.unreadOnly, limit: input.limit }).map(notificationView),
        unreadCount: core.repos.events.unreadCount(),
      };
    },
    async markNotificationsRead(input) {
      if (input.ids) for (const id of input.ids) core.repos.events.markRead(id);
      else core.repos.events.markRead();
      return { unreadCount: core.repos.events.unreadCount() };
    },
    async getAppInfo() {
      return { version, dataDir: core.dataDir, databasePath: databaseFile(core.dataDir) };
    },
    async getStorageStatus() {
      return core.storage.state;
    },
  };
}
