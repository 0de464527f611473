import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { documentUri, parseDocumentUri } from './citations';
import type { DocumentReader } from './document-reader';

const PAGE_SIZE = 100;
/** A resource read returns at most this much text; get_document pages through the rest. */
const MAX_RESOURCE_CHARS = 500_000;

/** The cursor of resources/list: the last document id of the page, opaque to clients. */
const Cursor = z
  .string()
  .max(400)
  .transform((cursor, ctx) => {
    const id = Buffer.from(cursor, 'base64url').toString('utf8');
    if (id.length === 0) ctx.addIssue({ code: 'custom', message: 'not a cursor this server gave out' });
    return id;
  });
const ReadParams = z.object({ uri: z.string().min(1).max(1000) });

/**
 * Every indexed document as a resource `trove://document/<id>` (text/plain),
 * listed in pages of 100 by id. Registered on the SDK's low-level server
 * because McpServer's resource listing has no cursor, and a library has
 * tens of thousands of documents. Reading any other URI (file://, a path,
 * an id not in the index) is refused: nothing is ever read from disk.
 */
export function registerDocumentResources(server: McpServer, reader: DocumentReader): void {
  const lowLevel = server.server;
  lowLevel.registerCapabilities({ resources: {} });

  lowLevel.setRequestHandler(ListResourcesRequestSchema, (request) => {
    const raw = request.params?.cursor;
    const cursor = raw === undefined ? { success: true as const, data: '' } : Cursor.safeParse(raw);
    if (!cursor.success) throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor for resources/list.');
    const page = reader.page(cursor.data, PAGE_SIZE);
    const last = page.at(-1);
    return {
      resources: page.map((doc) => ({
        uri: documentUri(doc.id),
        name: doc.title,
        title: doc.title,
        mimeType: 'text/plain',
        description: [doc.connectorName, doc.path ?? doc.url].filter(Boolean).join(' · '),
      })),
      ...(page.length === PAGE_SIZE && last ? { nextCursor: Buffer.from(last.id, 'utf8').toString('base64url') } : {}),
    };
  });

  lowLevel.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: 'trove://document/{id}',
        name: 'document',
        title: 'A document of the Trove index',
        description: 'The indexed text of a document, by the documentId that search returns.',
        mimeType: 'text/plain',
      },
    ],
  }));

  lowLevel.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const params = ReadParams.safeParse(request.params);
    if (!params.success) throw new McpError(ErrorCode.InvalidParams, 'resources/read needs a uri.');
    const { uri } = params.data;
    const id = parseDocumentUri(uri);
    if (id === null) {
      throw new McpError(
        ErrorCode.InvalidParams,
        'Only documents of the Trove index can be read, as trove://document/<id> (ids come from search or resources/list).',
      );
    }
    try {
      const doc = reader.document(id);
      const passages = reader.passages(doc.id, 0, doc.chunkCount - 1, MAX_RESOURCE_CHARS);
      let text = passages.map((p) => p.text).join('\n\n');
      const shown = passages.length;
      if (shown < doc.chunkCount) {
        text += `\n\n[Truncated after passage ${shown - 1} of ${doc.chunkCount - 1}: read on with get_document, fromChunk ${shown}.]`;
      }
      return { contents: [{ uri: documentUri(doc.id), mimeType: 'text/plain', text }] };
    } catch (error) {
      if (error instanceof AppError) throw new McpError(ErrorCode.InvalidParams, error.message);
      throw error;
    }
  });
}
