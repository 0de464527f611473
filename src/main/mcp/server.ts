import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import { openLibrary, type Library } from '../core/read-only/library';
import { newAccessToken } from '../serve/auth';
import { DocumentReader } from './document-reader';
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

/**
 * `trove mcp --http`: the same server over streamable HTTP on 127.0.0.1 until
 * SIGINT/SIGTERM. The access token is TROVE_MCP_TOKEN when set (so a client's
 * configuration survives restarts), else a random one printed with the URL.
 */
export async function runMcpHttp(options: {
  dataDir: string;
  version: string;
  logger: Logger;
  port?: number;
  write: (line: string) => void;
}): Promise<void> {
  const fixed = process.env.TROVE_MCP_TOKEN;
  if (fixed !== undefined && !/^[\w.~+/=-]{24,512}$/.test(fixed)) {
    throw new AppError('VALIDATION', 'TROVE_MCP_TOKEN must be 24 to 512 letters, digits or -._~+/= characters.');
  }
  const token = fixed ?? newAccessToken();
  const library = openLibrary({ dataDir: options.dataDir, logger: options.logger });
  const { startMcpHttp } = await import('./http');
  const server = await startMcpHttp(library, { ...options, token });
  options.write(`Trove MCP server at ${server.url}`);
  options.write(fixed ? 'Access token: TROVE_MCP_TOKEN' : `Access token: ${token}`);
  options.write('(send it as "Authorization: Bearer <token>"; press Ctrl+C to stop)');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await library.close();
}
