import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy, type TroveEvent } from '../../shared/contract';
import { errorInfo } from '../../shared/errors';
import { isStorageFault } from '../../shared/storage-errors';
import type { Dispatcher } from '../core/api/dispatch';
import { guardConnections } from '../../node-shared/http/connection-guard';
import { parseRequestTarget } from '../../node-shared/http/request-target';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { allowedHostNames, BrowserSessions, hostAllowed, newAccessToken, presentedToken, tokensMatch } from './auth';
import { loadStaticFile } from './static-files';
import { serveOriginal } from './originals';
import { sendJson, sendText } from './responses';
import { saveUpload } from './uploads';

export interface ServeOptions {
  dispatcher: Dispatcher;
  /** The core's event source; returns an unsubscribe function. */
  onEvent(listener: (event: TroveEvent) => void): () => void;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Default 127.0.0.1. Anything else exposes the index to the network: think twice. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default: 32 fresh random bytes. */
  token?: string;
  logger?: Logger;
  /** Largest accepted request body; default 1 MiB. */
  maxBodyBytes?: number;
  /** SSE keep-alive comment interval; default 15 s. */
  heartbeatMs?: number;
  /**
   * Where files dropped into the browser are stored before import (browsers
   * never reveal a dropped file's path). Absent: uploads are refused. The
   * CLI passes `<dataDir>/uploads`.
   */
  uploadDir?: string;
  /** Largest accepted upload; default 200 MiB. */
  maxUploadBytes?: number;
}

export interface ServeHandle {
  /** Open this in a browser: it carries the access token. */
  url: string;
  /** Base URL without the token. */
  origin: string;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The first page load carries the token in its URL; never leak it onwards.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Browser mode: the built renderer plus the contract over HTTP on loopback.
 * `POST /api/:command` (JSON body, answers a Result), `GET /api/events`
 * (Server-Sent Events) and `GET /api/original` (originals.ts) need a session cookie (given for the printed URL's
 * token, see BrowserSessions) or the token as a Bearer header; static files
 * do not (they hold no data).
 */
export async function startServeServer(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newAccessToken();
  const log = (options.logger ?? silentLogger).child('serve');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const csp = contentSecurityPolicy();
  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  const sessions = new BrowserSessions(() => (server.address() as AddressInfo).port);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The browser hung up mid-upload or mid-body: nobody is left to answer.
      if (req.destroyed && !res.headersSent) {
        log.debug('request aborted by the client', { method: req.method });
        return;
      }
      log.error('request failed', { errorName: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Internal server error.' } });
      else res.end();
    });
  });
  guardConnections(server, { logger: log, errorBody: (_code, message) => validationError(message) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!hostAllowed(req, allowedHosts)) {
      sendText(res, 403, 'Forbidden: unexpected Host or Origin.');
      return;
    }
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) {
      log.warn('request refused', { status: 400, code: parsed.refusal.code });
      return sendJson(res, 400, validationError(parsed.refusal.message));
    }
    const target = parsed.target;
    if (target.path.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      if (!sessions.has(req) && !tokensMatch(token, presentedToken(req))) {
        sendJson(res, 401, {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'This browser is not signed in to Trove. Open the address printed by `trove serve` once.',
          },
        });
        return;
      }
      if (target.path === '/api/events') {
        if (req.method !== 'GET') return sendText(res, 405, 'Method not allowed.');
        return openEventStream(req, res);
      }
      if (target.path === '/api/original') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
        return serveOriginal(req, res, options.dispatcher, target.query.get('document'));
      }
      if (req.method !== 'POST') return sendText(res, 405, 'Method not allowed.');
      if (target.path === '/api/upload') return handleUpload(req, res, target.query);
      // A JSON content type forces a CORS preflight, so no plain HTML form can post here.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendText(res, 415, 'Send application/json.');
      }
      const command = target.decodedPath.slice('/api/'.length);
      const body = await readBody(req, maxBodyBytes);
      if (body === null) {
        return sendJson(res, 413, validationError('Request body too large.'));
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return sendJson(res, 400, validationError('The request body is not valid JSON.'));
      }
      sendJson(res, 200, await options.dispatcher.dispatch(command, input));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    const presented = target.query.get('token');
    if (presented !== null) {
      // The printed URL: trade the token for a session cookie, once, and
      // drop it from the address (history, bookmarks, screenshots).
      target.query.delete('token');
      const rest = target.query.toString();
      const headers: Record<string, string> = {
        Location: target.path + (rest ? `?${rest}` : ''),
        'Cache-Control': 'no-store',
      };
      if (tokensMatch(token, presented)) headers['Set-Cookie'] = sessions.create();
      res.writeHead(303, headers);
      res.end();
      return;
    }
    const file = await loadStaticFile(options.rendererDir, target.path);
    if (!file) return sendText(res, 404, 'Not found.');
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Security-Policy': csp,
      'Cache-Control': file.contentType.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    if (!options.uploadDir) {
      return sendJson(res, 200, {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'Uploads are off: type the file paths instead.' },
      });
    }
    // A non-safelisted content type forces a CORS preflight, like JSON does.
    if (req.headers['content-type'] !== 'application/octet-stream')
      return sendText(res, 415, 'Send application/octet-stream.');
    let result: Awaited<ReturnType<typeof saveUpload>>;
    try {
      result = await saveUpload(req, {
        uploadDir: options.uploadDir,
        batch: query.get('batch') ?? '',
        name: query.get('name') ?? '',
        maxBytes: options.maxUploadBytes ?? 200 * 1024 * 1024,
      });
    } catch (error) {
      // The uploads live in the data folder: a full disk gets its clear message, not "internal error".
      if (!isStorageFault(error)) throw error;
      req.resume();
      result = { ok: false, error: errorInfo(error) };
    }
    sendJson(res, 200, result);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = options.onEvent((event) => {
      res.write(`event: trove\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = allowedHostNames(host, port);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${urlHost}:${port}`;
  log.info('browser mode listening', { origin });

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function validationError(message: string): { ok: false; error: { code: 'VALIDATION'; message: string } } {
  return { ok: false, error: { code: 'VALIDATION', message } };
}
