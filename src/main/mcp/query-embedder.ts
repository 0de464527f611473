import type { Database } from 'better-sqlite3';
import { systemClock } from '../core/clock';
import { getModelManifest, localSpace, TINY_TEST_MODEL } from '../core/embeddings/manifests';
import { ModelManager } from '../core/embeddings/model-manager';
import { spaceKey, type Embedder } from '../core/embeddings/types';
import type { Logger } from '../core/logger';
import { DEFAULT_EMBEDDING_CONFIG, type EmbeddingConfig } from '../core/services/embedding.service';
import { EmbeddingSpacesRepo } from '../core/store/embedding-spaces.repo';
import { SettingsRepo } from '../core/store/settings.repo';

/** Why search by meaning is not used; shown to the assistant with the keyword results. */
export const GEMINI_NOT_USED_NOTICE =
  'Trove is set to embed with Gemini; this server searches by meaning only with a downloaded local model, so these are keyword results.';

/**
 * The embedder for queries, when the library's chosen LOCAL model is
 * downloaded and is the active embedding space. Unlike the app's
 * EmbeddingService it never writes (no space is created or activated, no
 * backlog queued) and never reads the keychain (Gemini is not used here).
 * Loading starts on the first search by meaning, not at start-up, so a
 * keyword-only assistant never pays for the model.
 */
export class QueryEmbedder {
  private readonly settings: SettingsRepo;
  private readonly spaces: EmbeddingSpacesRepo;
  private readonly models: ModelManager;
  private loaded: Embedder | null = null;
  private loading: Promise<string | null> | null = null;

  constructor(private readonly deps: { db: Database; dataDir: string; logger: Logger }) {
    this.settings = new SettingsRepo(deps.db, systemClock);
    this.spaces = new EmbeddingSpacesRepo(deps.db, systemClock);
    this.models = new ModelManager({ dataDir: deps.dataDir, logger: deps.logger, extraManifests: [TINY_TEST_MODEL] });
  }

  /** The loaded embedder, or null (search then falls back to keyword). */
  current(): Embedder | null {
    return this.loaded;
  }

  /** Loads the model if it can be used; resolves to null when ready, else to why not (for the notice). */
  ensureLoaded(): Promise<string | null> {
    if (this.loaded) return Promise.resolve(null);
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  async close(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.loaded?.close?.();
    this.loaded = null;
  }

  private async load(): Promise<string | null> {
    const config = this.settings.get<EmbeddingConfig>('embedding', DEFAULT_EMBEDDING_CONFIG);
    if (config.provider !== 'local') return GEMINI_NOT_USED_NOTICE;
    try {
      const manifest = getModelManifest(config.modelId, [TINY_TEST_MODEL]);
      const active = this.spaces.getActive();
      // Vectors of another model (or none yet) cannot answer this model's queries.
      if (!active || active.spaceKey !== spaceKey(localSpace(manifest))) return null;
      if ((await this.models.status(manifest.id)) !== 'ready') return null;
      this.loaded = await this.models.openEmbedder(manifest.id);
      return null;
    } catch (error) {
      this.deps.logger.warn('local model not available for MCP search', { error: String(error) });
      return null;
    }
  }
}
