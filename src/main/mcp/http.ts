import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { guardConnections } from '../../node-shared/http/connection-guard';
import type { Logger } from '../core/logger';
import type { Library } from '../core/read-only/library';
import { allowedHostNames, hostAllowed, presentedToken, tokensMatch } from '../serve/auth';
import { createMcpServer } from './server';

/** The one path the server answers on. */
export const MCP_PATH = '/mcp';
/** A JSON-RPC message (or batch) larger than this is refused before it is parsed. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Clients connected at once; each session holds a server object. */
const MAX_SESSIONS = 32;

export interface McpHttpHandle {
  url: string;
  close(): Promise<void>;
}

/**
 * The MCP server over streamable HTTP, for clients that prefer a URL to a
 * child process. Bound to 127.0.0.1 only; every request must carry the
 * access token (`Authorization: Bearer …`, compared in constant time) and
 * our own Host (a DNS-rebinding page sends its own name). One MCP session per
 * client (`Mcp-Session-Id`), each with its own server over the shared
 * read-only library.
 */
export async function startMcpHttp(
  library: Library,
  options: { port?: number; token: string; version: string; logger: Logger },
): Promise<McpHttpHandle> {
  const log = options.logger.child('mcp-http');
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let hosts = new Set<string>();

  const refuse = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, hosts)) return refuse(res, 403, 'Forbidden host or origin.');
    if (!tokensMatch(options.token, presentedToken(req))) {
      return refuse(res, 401, 'Missing or wrong access token.', { 'www-authenticate': 'Bearer' });
    }
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) return refuse(res, 404, 'Not found.');
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (body instanceof Error) return refuse(res, 400, body.message);

    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (sessionId !== undefined && !transport) return refuse(res, 404, 'Unknown or closed session; initialize again.');
    if (!transport) {
      if (req.method !== 'POST') return refuse(res, 400, 'Initialize a session with a POST first.');
      if (sessions.size >= MAX_SESSIONS) return refuse(res, 503, 'Too many sessions; close one and retry.');
      const fresh = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: true,
        onsessioninitialized: (id) => void sessions.set(id, fresh),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      fresh.onclose = () => {
        if (fresh.sessionId) sessions.delete(fresh.sessionId);
      };
      await createMcpServer(library, { version: options.version, logger: options.logger }).connect(fresh);
      transport = fresh;
    }
    await transport.handleRequest(req, res, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('request failed', { errorName: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent) refuse(res, 500, 'Internal error.');
      else res.end();
    });
  });
  guardConnections(server, {
    logger: log,
    errorBody: (_code, message) => ({ jsonrpc: '2.0', error: { code: -32600, message }, id: null }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHostNames('127.0.0.1', port);
  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    async close() {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request's JSON body, at most MAX_BODY_BYTES; an Error says what is wrong with it. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return new Error(`The request body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return new Error('The request body is not JSON.');
  }
}
