import { AppError, errorInfo, type ErrorInfo } from '../../../shared/errors';
import type { Clock } from '../clock';
import { createGeminiEmbedder } from '../embeddings/gemini-embedder';
import { DEFAULT_LOCAL_MODEL_ID, localSpace, type ModelManifest } from '../embeddings/manifests';
import type { DownloadProgress } from '../embeddings/model-download';
import type { ModelManager, ModelStatus } from '../embeddings/model-manager';
import { spaceKey, type Embedder, type EmbeddingSpace } from '../embeddings/types';
import type { Logger } from '../logger';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { EmbeddingSpacesRepo, SpaceRow } from '../store/embedding-spaces.repo';
import type { SettingsRepo } from '../store/settings.repo';

/** What the person chose in Settings. Stored under the `embedding` settings key. */
export type EmbeddingConfig =
  { provider: 'local'; modelId: string } | { provider: 'gemini'; model: string; dimensions: number };

export const DEFAULT_EMBEDDING_CONFIG: EmbeddingConfig = { provider: 'local', modelId: DEFAULT_LOCAL_MODEL_ID };
export const DEFAULT_GEMINI = { model: 'gemini-embedding-001', dimensions: 768 } as const;
const SETTINGS_KEY = 'embedding';

export interface ActiveEmbedding {
  embedder: Embedder;
  space: SpaceRow;
}

export interface EmbeddingState {
  config: EmbeddingConfig;
  /** `ready` when vectors can be computed now. */
  status: 'ready' | 'loading' | 'needs_model' | 'needs_key' | 'error';
  error: ErrorInfo | null;
  space: EmbeddingSpace | null;
}

/**
 * Owns the active embedding space: which provider/model is chosen, whether
 * its embedder is loaded, and switching. Switching creates (or reuses) the
 * new space's vec0 table, makes it active, and asks for background
 * re-embedding of every chunk that has no vector there yet. Spaces are never
 * mixed: search only reads the active one.
 */
export class EmbeddingService {
  private active: ActiveEmbedding | null = null;
  private loading: Promise<void> | null = null;
  private lastError: ErrorInfo | null = null;
  private missing: 'needs_model' | 'needs_key' | null = null;
  /** The configuration the last load read (JSON). */
  private loadedConfig: string | null = null;

  constructor(
    private readonly deps: {
      settings: SettingsRepo;
      spaces: EmbeddingSpacesRepo;
      models: ModelManager;
      secrets: SecretStore;
      clock: Clock;
      logger: Logger;
      geminiBaseUrl?: string;
      /** Called when a space becomes usable, so chunks without vectors there get embedded. */
      onSpaceReady(space: SpaceRow): void;
      onStateChange?(state: EmbeddingState): void;
    },
  ) {}

  config(): EmbeddingConfig {
    return this.deps.settings.get<EmbeddingConfig>(SETTINGS_KEY, DEFAULT_EMBEDDING_CONFIG);
  }

  /** The loaded embedder of the active space, or null while none is ready. Synchronous for search. */
  current(): ActiveEmbedding | null {
    return this.active;
  }

  state(): EmbeddingState {
    const config = this.config();
    const status = this.active
      ? 'ready'
      : this.loading
        ? 'loading'
        : (this.missing ?? (this.lastError ? 'error' : 'loading'));
    return { config, status, error: this.lastError, space: this.active ? this.spaceOf(this.active.space) : null };
  }

  /** Chooses a provider/model and loads it; re-embedding of existing chunks follows in the background. */
  async configure(config: EmbeddingConfig): Promise<EmbeddingState> {
    if (config.provider === 'local') this.deps.models.manifest(config.modelId); // throws for unknown models
    this.deps.settings.set(SETTINGS_KEY, config);
    await this.reload();
    return this.state();
  }

  /** (Re)loads the configured embedder. Never throws: problems are kept in `state()`. */
  reload(): Promise<void> {
    const run = this.load().finally(() => {
      if (this.loading === run) this.loading = null;
      this.deps.onStateChange?.(this.state());
    });
    this.loading = run;
    this.deps.onStateChange?.(this.state());
    return run;
  }

  /**
   * After another process wrote to the library: loads again when the choice
   * of model changed there (`trove models use` beside the app), so this
   * process embeds and searches in the same space. Otherwise keeps what it has.
   */
  reloadIfChosenElsewhere(): Promise<void> | null {
    if (this.loading || JSON.stringify(this.config()) === this.loadedConfig) return null;
    return this.reload();
  }

  async modelStatus(id: string): Promise<ModelStatus> {
    return this.deps.models.status(id);
  }

  /** Downloads a local model; if it is the configured one, loads it when done. */
  async download(id: string, onProgress?: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<void> {
    await this.deps.models.download(id, { onProgress, signal });
    const config = this.config();
    if (config.provider === 'local' && config.modelId === id) await this.reload();
  }

  async close(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.active?.embedder.close?.();
    this.active = null;
  }

  private async load(): Promise<void> {
    const config = this.config();
    this.loadedConfig = JSON.stringify(config);
    const previous = this.active;
    this.lastError = null;
    this.missing = null;
    try {
      const embedder = await this.openEmbedder(config);
      if (!embedder) {
        this.active = null;
        return;
      }
      const space = this.deps.spaces.setActive(this.deps.spaces.ensure(embedder.space).id);
      this.active = { embedder, space };
      if (previous && previous.embedder !== embedder) await previous.embedder.close?.();
      this.deps.logger.info('embedding space ready', { space: space.spaceKey });
      this.deps.onSpaceReady(space);
    } catch (error) {
      this.active = null;
      this.lastError = errorInfo(error);
      this.deps.logger.warn('embedding model not available', { code: this.lastError.code });
    }
  }

  private async openEmbedder(config: EmbeddingConfig): Promise<Embedder | null> {
    if (config.provider === 'local') {
      const status = await this.deps.models.status(config.modelId);
      if (status === 'not_downloaded' || status === 'downloading') {
        this.missing = 'needs_model';
        return null;
      }
      if (
        this.active &&
        this.active.space.spaceKey === spaceKey(localSpace(this.deps.models.manifest(config.modelId)))
      ) {
        return this.active.embedder;
      }
      return this.deps.models.openEmbedder(config.modelId);
    }
    const key = await this.deps.secrets.get(secretAccounts.geminiApiKey());
    if (!key) {
      this.missing = 'needs_key';
      return null;
    }
    return createGeminiEmbedder({
      apiKey: () => this.deps.secrets.get(secretAccounts.geminiApiKey()),
      model: config.model,
      dimensions: config.dimensions,
      baseUrl: this.deps.geminiBaseUrl,
      logger: this.deps.logger,
      clock: this.deps.clock,
    });
  }

  private spaceOf(row: SpaceRow): EmbeddingSpace {
    return { provider: row.provider, model: row.model, dimensions: row.dimensions };
  }
}

/** Manifests offered in Settings, with their download state. */
export async function listLocalModels(
  models: ModelManager,
  manifests: readonly ModelManifest[],
): Promise<Array<{ manifest: ModelManifest; status: ModelStatus }>> {
  return Promise.all(manifests.map(async (manifest) => ({ manifest, status: await models.status(manifest.id) })));
}

export function assertGeminiKey(key: string): void {
  if (!/^[\w-]{20,200}$/.test(key.trim())) {
    throw new AppError('VALIDATION', 'That does not look like a Gemini API key (expected letters, digits, - and _).');
  }
}
