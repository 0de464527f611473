import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { SearchFilters, SearchMode } from '../../shared/contract/search';
import type { Logger } from '../core/logger';
import type { SearchGroup, SnippetSegment } from '../core/search/types';
import { citationId, documentUri, parseReference } from './citations';
import type { DocumentReader, IndexedDocument } from './document-reader';
import type { Library } from '../core/read-only/library';

/** A citation id, a `trove://document/…` URI or a document id, as search returned them. */
const Reference = z.string().trim().min(1, 'must not be empty').max(500);

const Source = z.object({ id: z.string(), name: z.string(), type: z.string() });
const DocumentFields = {
  documentId: z.string(),
  uri: z.string(),
  title: z.string(),
  source: Source,
  path: z.string().nullable(),
  url: z.string().nullable(),
  mimeType: z.string().nullable(),
  modifiedAt: z.string().nullable(),
};
const Passage = z.object({
  citation: z.string(),
  chunkIndex: z.number().int(),
  page: z.number().int().nullable(),
  headingPath: z.array(z.string()),
  snippet: z.string(),
});
const SearchResult = z.object({
  ...DocumentFields,
  citation: z.string(),
  score: z.number(),
  passages: z.array(Passage),
  /** Other documents with the same or nearly the same text, listed here instead of as results of their own. */
  copies: z.array(z.object(DocumentFields)),
});
const SearchOutput = {
  mode: SearchMode,
  notice: z.string().nullable(),
  results: z.array(SearchResult),
};

/** The four read-only tools: search, get_document, more_like_this, list_sources. */
export function registerTools(server: McpServer, library: Library, reader: DocumentReader, logger: Logger): void {
  const readOnly = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;
  const run = guarded(logger);

  // A document re-indexed or removed by the app since the search read it is left out, not an error.
  const results = (groups: readonly SearchGroup[]): z.infer<typeof SearchResult>[] =>
    groups.flatMap((group) => {
      const doc = reader.findDocument(group.document.id);
      if (!doc) return [];
      const passages = group.chunks.flatMap((chunk) => {
        const index = reader.chunkIndex(chunk.chunkId);
        if (index === null) return [];
        return [
          {
            citation: citationId(doc.id, index),
            chunkIndex: index,
            page: chunk.page,
            headingPath: chunk.headingPath,
            snippet: snippetText(chunk.snippet),
          },
        ];
      });
      if (passages.length === 0) return [];
      const copies = (group.copies ?? []).flatMap((copy) => {
        const found = reader.findDocument(copy.id);
        return found ? [documentFields(found)] : [];
      });
      return [{ ...documentFields(doc), citation: passages[0]!.citation, score: group.score, passages, copies }];
    });

  server.registerTool(
    'search',
    {
      title: 'Search the Trove library',
      description:
        'Search the documents indexed by Trove (local files, Google Drive, Notion). Modes: keyword (exact words, BM25), ' +
        'semantic (by meaning; needs the local model, else keyword is used and `notice` says so), hybrid (both). ' +
        'The query understands "exact phrase", -word, title:, type:pdf, in:<source>, after:/before:YYYY-MM-DD. ' +
        'Cite passages by their `citation` id; pass it to get_document for the full text. A document kept in several ' +
        'places (copies, near-identical versions) is one result; `copies` names the others.',
      inputSchema: {
        query: z.string().trim().min(1, 'must not be empty').max(1000),
        mode: SearchMode.default('hybrid'),
        filters: SearchFilters.optional().describe(
          'connectorIds (from list_sources), sourceTypes, mimeTypes, modifiedFrom/To (epoch ms)',
        ),
        limit: z.number().int().min(1).max(50).default(10).describe('documents to return'),
      },
      outputSchema: SearchOutput,
      annotations: readOnly,
    },
    run(async ({ query, mode, filters, limit }) => {
      const why = mode === 'keyword' ? null : await library.embedder.ensureLoaded();
      const found = await library.search.search({ query, mode, filters, limit });
      return { mode: found.mode, notice: why ?? found.notice ?? null, results: results(found.groups) };
    }),
  );

  server.registerTool(
    'get_document',
    {
      title: 'Read a document from the Trove index',
      description:
        'The text of an indexed document, or of a range of its passages (chunks), with citation ids. `ref` is a citation id ' +
        '(trove:<documentId>#<chunk>), a trove://document/<id> URI or a document id. Only documents in the index can be read.',
      inputSchema: {
        ref: Reference,
        fromChunk: z.number().int().min(0).optional().describe('first passage (default: the cited one, else 0)'),
        toChunk: z.number().int().min(0).optional().describe('last passage, inclusive'),
        maxChars: z.number().int().min(100).max(200_000).default(20_000).describe('stop before this much text'),
      },
      outputSchema: {
        ...DocumentFields,
        chunkCount: z.number().int(),
        passages: z.array(Passage.omit({ snippet: true }).extend({ text: z.string() })),
        text: z.string(),
        nextChunk: z.number().int().nullable(),
      },
      annotations: readOnly,
    },
    run(async ({ ref, fromChunk, toChunk, maxChars }) => {
      const { documentId, chunkIndex } = parseReference(ref);
      const doc = reader.document(documentId);
      const from = fromChunk ?? chunkIndex ?? 0;
      const to = toChunk ?? (chunkIndex !== null && fromChunk === undefined ? chunkIndex : doc.chunkCount - 1);
      if (toChunk !== undefined && toChunk < from)
        throw new AppError('VALIDATION', 'toChunk must not be before fromChunk.');
      const passages = reader.passages(doc.id, from, to, maxChars);
      const last = passages.at(-1)?.index ?? from - 1;
      const nextChunk = last < Math.min(to, doc.chunkCount - 1) ? last + 1 : null;
      return {
        ...documentFields(doc),
        chunkCount: doc.chunkCount,
        passages: passages.map((p) => ({
          citation: citationId(doc.id, p.index),
          chunkIndex: p.index,
          page: p.page,
          headingPath: p.headingPath,
          text: p.text,
        })),
        text: passages.map((p) => p.text).join('\n\n'),
        nextChunk,
      };
    }),
  );

  server.registerTool(
    'more_like_this',
    {
      title: 'Documents similar to one document',
      description:
        'Documents similar to an indexed one (by meaning with the local model, else by its distinctive words). ' +
        '`ref` is a citation id, a trove://document/<id> URI or a document id.',
      inputSchema: { ref: Reference, limit: z.number().int().min(1).max(50).default(10) },
      outputSchema: {
        basis: z.enum(['vectors', 'terms']),
        notice: z.string().nullable(),
        results: z.array(SearchResult),
      },
      annotations: readOnly,
    },
    run(async ({ ref, limit }) => {
      const doc = reader.document(parseReference(ref).documentId);
      await library.embedder.ensureLoaded();
      const similar = await library.search.similar({ documentId: doc.id, limit });
      return { basis: similar.basis, notice: similar.notice ?? null, results: results(similar.groups) };
    }),
  );

  server.registerTool(
    'list_sources',
    {
      title: 'Sources in the Trove library',
      description: 'The connected sources (folders, imports, Google Drive, Notion) with document counts and last sync.',
      inputSchema: {},
      outputSchema: {
        sources: z.array(
          Source.extend({
            status: z.string(),
            lastSyncAt: z.string().nullable(),
            documents: z.record(z.string(), z.number()),
            chunks: z.number().int(),
          }),
        ),
      },
      annotations: readOnly,
    },
    run(async () => {
      const counts = library.documents.countsByConnector();
      return {
        // Settings and sync cursors stay out: only what a person sees in the Sources screen.
        sources: library.connectors.list().map((c) => ({
          id: c.id,
          name: c.name,
          type: c.type,
          status: c.status,
          lastSyncAt: c.lastSyncAt ? new Date(c.lastSyncAt).toISOString() : null,
          documents: counts.get(c.id) ?? {},
          chunks: library.documents.chunkCount(c.id),
        })),
      };
    }),
  );
}

export function documentFields(doc: IndexedDocument) {
  return {
    documentId: doc.id,
    uri: documentUri(doc.id),
    title: doc.title,
    source: { id: doc.connectorId, name: doc.connectorName, type: doc.connectorType },
    path: doc.path,
    url: doc.url,
    mimeType: doc.mimeType,
    modifiedAt: doc.modifiedAt === null ? null : new Date(doc.modifiedAt).toISOString(),
  };
}

/** Snippet text with the matched words in **bold**, as assistants render Markdown. */
const snippetText = (segments: readonly SnippetSegment[]): string =>
  segments.map((s) => (s.match ? `**${s.text}**` : s.text)).join('');

/**
 * A tool's handler with its answer as structured content plus the same JSON
 * as text (for clients that read only text). An AppError's message is
 * written for people and goes back as the tool error; any other throw may
 * carry paths or payloads, so it is logged by name only and answered
 * generically.
 */
function guarded(logger: Logger) {
  return <A>(handler: (args: A) => Promise<Record<string, unknown>>) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        const structured = await handler(args);
        return { structuredContent: structured, content: [{ type: 'text', text: JSON.stringify(structured) }] };
      } catch (error) {
        if (error instanceof AppError) return { isError: true, content: [{ type: 'text', text: error.message }] };
        logger.error('MCP tool failed', { errorName: error instanceof Error ? error.name : typeof error });
        return {
          isError: true,
          content: [{ type: 'text', text: 'Trove could not answer this request; see its log.' }],
        };
      }
    };
}
