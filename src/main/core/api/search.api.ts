import type { CommandOutput, TroveApi } from '../../../shared/contract';
import type { Core } from '../app';
import type { SearchGroup } from '../search/types';

type SearchCommands = Pick<TroveApi, 'search' | 'similarDocuments' | 'importPaths'>;

export function searchCommands(core: Core): SearchCommands {
  /** The contract's group: the document with its connector's name (as it is now). */
  const toGroups = (groups: readonly SearchGroup[]): CommandOutput<'search'>['groups'] => {
    const names = new Map(core.repos.connectors.list().map((c) => [c.id, c.name]));
    return groups.map((g) => ({
      score: g.score,
      chunks: g.chunks,
      document: {
        id: g.document.id,
        connectorId: g.document.connectorId,
        connectorType: g.document.connectorType,
        connectorName: names.get(g.document.connectorId) ?? 'Removed connector',
        title: g.document.title,
        mimeType: g.document.mimeType,
        sourceUrl: g.document.sourceUrl,
        sourceModifiedAt: g.document.modifiedAt,
      },
    }));
  };
  return {
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
      const { connectorId, jobId } = await core.connectors.importPaths(input.paths);
      return { connectorId, jobId, startedAt, accepted: input.paths.length };
    },
  };
}
