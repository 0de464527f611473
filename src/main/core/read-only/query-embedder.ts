import type { Database } from 'better-sqlite3';
import { systemClock } from '../clock';
import { getModelManifest, localSpace, TINY_TEST_MODEL } from '../embeddings/manifests';
import { spaceKey, type Embedder } from '../embeddings/types';
import type { Logger } from '../logger';
import type { EmbeddingConfig } from '../services/embedding.service';
import { EmbeddingSpacesRepo } from '../store/embedding-spaces.repo';
import { SettingsRepo } from '../store/settings.repo';

/** Why search by meaning is not used; shown to the assistant with the keyword results. */
export const GEMINI_NOT_USED_NOTICE =
  'Trove is set to embed with Gemini; this server searches by meaning only with a downloaded local model, so these are keyword results.';

/**
 * The embedder for queries, when the library's chosen LOCAL model is
 * downloaded and is the active embedding space. Unlike the app's
 * EmbeddingService it never writes (no space is created or activated, no
 * backlog queued) and never reads the keychain (Gemini is not used here).
 * Loading starts on the first search by meaning, not at start-up, and the
 * model code is imported then too: keyword search (the CLI's fast path, an
 * assistant that never asks for meaning) never pays for it.
 */
export class QueryEmbedder {
  private readonly settings: SettingsRepo;
  private readonly spaces: EmbeddingSpacesRepo;
  private loaded: Embedder | null = null;
  private loading: Promise<string | null> | null = null;

  constructor(private readonly deps: { db: Database; dataDir: string; logger: Logger }) {
    this.settings = new SettingsRepo(deps.db, systemClock);
    this.spaces = new EmbeddingSpacesRepo(deps.db, systemClock);
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
    const { DEFAULT_EMBEDDING_CONFIG } = await import('../services/embedding.service');
    // The key EmbeddingService keeps the choice of Settings under.
    const config = this.settings.get<EmbeddingConfig>('embedding', DEFAULT_EMBEDDING_CONFIG);
    if (config.provider !== 'local') return GEMINI_NOT_USED_NOTICE;
    try {
      const { ModelManager } = await import('../embeddings/model-manager');
      const models = new ModelManager({
        dataDir: this.deps.dataDir,
        logger: this.deps.logger,
        extraManifests: [TINY_TEST_MODEL],
      });
      const manifest = getModelManifest(config.modelId, [TINY_TEST_MODEL]);
      const active = this.spaces.getActive();
      // Vectors of another model (or none yet) cannot answer this model's queries.
      if (!active || active.spaceKey !== spaceKey(localSpace(manifest))) return null;
      if ((await models.status(manifest.id)) !== 'ready') return null;
      this.loaded = await models.openEmbedder(manifest.id);
      return null;
    } catch (error) {
      this.deps.logger.warn('local model not available for MCP search', { error: String(error) });
      return null;
    }
  }
}
