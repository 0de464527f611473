import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../core/logger';
import { DocumentReader } from './document-reader';
import { openLibrary, type Library } from '../core/read-only/library';
import { registerDocumentResources } from './resources';
import { registerTools } from './tools';

/** The MCP server over a library: tools and document resources, nothing that writes. */
export function createMcpServer(library: Library, options: { version: string; logger: Logger }): McpServer {
  const server = new McpServer(
    { name: 'trove', title: 'Trove', version: options.version },
    {
      instructions:
        'Trove is the user’s local index of their files, Google Drive and Notion. Use `search` to find passages, cite them ' +
        'by their `citation` id, and read more with `get_document`. Everything is read-only.',
    },
  );
  const reader = new DocumentReader(library.db);
  registerTools(server, library, reader, options.logger);
  registerDocumentResources(server, reader);
  return server;
}

/**
 * `trove mcp`: serves the library over stdio until the client closes stdin
 * (or SIGINT/SIGTERM). stdout carries only protocol messages; logs go to stderr.
 */
export async function runMcpStdio(options: { dataDir: string; version: string; logger: Logger }): Promise<void> {
  const library = openLibrary({ dataDir: options.dataDir, logger: options.logger });
  const server = createMcpServer(library, options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
  await library.close();
}
