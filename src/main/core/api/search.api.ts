import type { CommandOutput, SearchStatus, TroveApi } from '../../../shared/contract';
import type { Core } from '../app';
import { LOCAL_MODELS } from '../embeddings/manifests';
import { DEFAULT_GEMINI } from '../services/embedding.service';
import { modelInfo, type ModelDownloads } from './settings.api';
import { existingPaths } from './user-paths';
import { previewCommands } from './preview.api';
import { folderWithin } from './result-folder';
import { countLeftUnindexed } from '../services/document-recovery';

import type { SearchGroup, SearchHitDocument } from '../search/types';

type SearchCommands = Pick<
  TroveApi,
  'search' | 'similarDocuments' | 'importPaths' | 'searchStatus' | 'chunkContext' | 'openTarget'
>;

export function searchApi(core: Core, downloads: ModelDownloads): SearchCommands {
  /** The contract's groups: each document with its connector's name (as it is now). */
  const toGroups = (groups: readonly SearchGroup[]): CommandOutput<'search'>['groups'] => {
    const connectors = core.repos.connectors.list();
    const names = new Map(connectors.map((c) => [c.id, c.name]));
    const roots = new Map(
      connectors.flatMap((c) =>
        c.type === 'local_folder' && typeof c.settings.path === 'string' ? [[c.id, c.settings.path] as const] : [],
      ),
    );
    const folderOf = (doc: SearchHitDocument): string | null => {
      const root = roots.get(doc.connectorId);
      return root === undefined ? null : folderWithin(root, doc.sourceUrl);
    };
    const toDocument = (doc: SearchHitDocument) => ({
      id: doc.id,
      connectorId: doc.connectorId,
      connectorType: doc.connectorType,
      connectorName: names.get(doc.connectorId) ?? 'Removed connector',
      title: doc.title,
      fileName: doc.fileName,
      folder: folderOf(doc),
      pageUnit: doc.pageUnit,
      mimeType: doc.mimeType,
      sourceUrl: doc.sourceUrl,
      sourceModifiedAt: doc.modifiedAt,
    });
    return groups.map((g) => ({
      score: g.score,
      chunks: g.chunks,
      document: toDocument(g.document),
      ...(g.copies ? { copies: g.copies.map(toDocument) } : {}),
    }));
  };
  return {
    ...previewCommands(core),
    async searchStatus() {
      const counts = core.repos.documents.countsByStatus();
      const known = counts.pending + counts.processing + counts.completed + counts.error + counts.skipped;
      return {
        indexedDocuments: counts.completed,
        knownDocuments: known,
        ...awaitingCounts(core, counts.pending + counts.processing),
        failedDocuments: counts.error,
        semantic: await semanticStatus(core, downloads),
      };
    },
    async search(input) {
      const result = await core.search.search({
        query: input.query,
        mode: input.mode,
        filters: input.filters,
        limit: input.limit,
        cursor: input.cursor,
      });
      return {
        mode: result.mode,
        notice: result.notice ?? null,
        nextCursor: result.nextCursor ?? null,
        tookMs: result.tookMs,
        operators: result.operators,
        ...(result.suggestion ? { suggestion: result.suggestion } : {}),
        ...(result.fuzzy ? { fuzzy: result.fuzzy } : {}),
        groups: toGroups(result.groups),
      };
    },
    async similarDocuments(input) {
      const result = await core.search.similar({
        documentId: input.documentId,
        limit: input.limit,
        filters: input.filters,
      });
      return {
        basis: result.basis,
        terms: result.terms,
        notice: result.notice ?? null,
        tookMs: result.tookMs,
        groups: toGroups(result.groups),
      };
    },
    async importPaths(input) {
      const startedAt = core.clock.now();
      const paths = await existingPaths(input.paths);
      const { connectorId, jobId } = await core.connectors.importPaths(paths);
      return { connectorId, jobId, startedAt, accepted: paths.length };
    },
  };
}

/** Whether semantic search can run now, and if not, what is missing (the Search screen offers the fix). */
async function semanticStatus(core: Core, downloads: ModelDownloads): Promise<SearchStatus['semantic']> {
  const state = core.embeddings.state();
  const config = state.config;
  if (config.provider === 'gemini') {
    const base = {
      provider: 'gemini' as const,
      modelId: config.model,
      modelName: `Google Gemini (${config.model ?? DEFAULT_GEMINI.model})`,
      sizeBytes: null,
      downloadedBytes: 0,
    };
    if (state.status === 'ready') return { ...base, state: 'ready', message: null };
    if (state.status === 'needs_key') {
      return {
        ...base,
        state: 'gemini_key_missing',
        message: 'Semantic search with Gemini needs your Gemini API key.',
      };
    }
    if (state.status === 'error') return { ...base, state: 'error', message: state.error?.message ?? null };
    return { ...base, state: 'model_loading', message: 'Connecting to Gemini…' };
  }
  const manifest = LOCAL_MODELS.find((m) => m.id === config.modelId) ?? LOCAL_MODELS[0]!;
  const info = await modelInfo(core, downloads, manifest);
  const base = {
    provider: 'local' as const,
    modelId: manifest.id,
    modelName: manifest.displayName,
    sizeBytes: info.sizeBytes,
    downloadedBytes: info.downloadedBytes,
  };
  if (state.status === 'ready') return { ...base, state: 'ready', message: null };
  if (info.status === 'downloading') return { ...base, state: 'model_downloading', message: null };
  if (info.status === 'not_downloaded' || info.status === 'failed') {
    return {
      ...base,
      state: 'model_not_downloaded',
      message: info.error ?? `Semantic search needs the ${manifest.displayName} model, downloaded once.`,
    };
  }
  if (state.status === 'error') return { ...base, state: 'error', message: state.error?.message ?? null };
  return { ...base, state: 'model_loading', message: 'Loading the model…' };
}

/**
 * Documents not indexed yet, split as the sidebar splits them: waiting in the
 * queue, or left by a cancelled run until the next sync (nothing works on
 * those, so "being indexed" would not be true of them).
 */
function awaitingCounts(core: Core, awaiting: number): { waitingDocuments: number; leftDocuments: number } {
  const left = awaiting > 0 ? countLeftUnindexed(core.db) : 0;
  return { waitingDocuments: awaiting - left, leftDocuments: left };
}
