import type { TroveApi } from '../../../shared/contract';
import type { Core } from '../app';

type SearchCommands = Pick<TroveApi, 'search' | 'importPaths'>;

export function searchCommands(core: Core): SearchCommands {
  return {
    async search(input) {
      const result = await core.search.search({
        query: input.query,
        mode: input.mode,
        filters: input.filters,
        limit: input.limit,
        cursor: input.cursor,
      });
      const names = new Map(core.repos.connectors.list().map((c) => [c.id, c.name]));
      return {
        mode: result.mode,
        notice: result.notice ?? null,
        nextCursor: result.nextCursor ?? null,
        tookMs: result.tookMs,
        groups: result.groups.map((g) => ({
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
        })),
      };
    },
    async importPaths(input) {
      const startedAt = core.clock.now();
      const { connectorId, jobId } = await core.connectors.importPaths(input.paths);
      return { connectorId, jobId, startedAt, accepted: input.paths.length };
    },
  };
}
