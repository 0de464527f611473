import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger';

/** How a request that never reached the handler is answered. `code` is stable and safe to log. */
export interface ClientErrorAnswer {
  status: number;
  code: string;
  message: string;
}

export interface ConnectionGuardOptions {
  logger: Logger;
  /** The JSON body of a refusal, in the server's own error shape. */
  errorBody(code: string, message: string): unknown;
  /** Minimum time between two "connections dropped" log lines. Default 10 s. */
  dropLogIntervalMs?: number;
}

/** How long a refused connection may keep draining input before it is destroyed. */
const DRAIN_MS = 2000;

/** Node's parser error codes (llhttp `HPE_*`) grouped into what a client can act on. */
const FRAMING_ERRORS = new Set([
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_CHUNK_EXTENSIONS_OVERFLOW',
  'HPE_INVALID_CONTENT_LENGTH',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_STRICT',
]);

/** Maps a 'clientError' (a request Node's parser refused, or a request timeout) to an answer. */
export function describeClientError(error: Error & { code?: string }): ClientErrorAnswer {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'The request line and headers are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request was not received in time.' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, code: 'unknown_method', message: 'The request method is not a known HTTP method.' };
    case 'HPE_INVALID_URL':
      return { status: 400, code: 'bad_request_target', message: 'The request target contains invalid characters.' };
    case 'HPE_INVALID_EOF_STATE':
      return { status: 400, code: 'truncated_request', message: 'The connection ended in the middle of a request.' };
    default:
      if (error.code !== undefined && FRAMING_ERRORS.has(error.code)) {
        return {
          status: 400,
          code: 'bad_framing',
          message: 'The body framing (Content-Length, Transfer-Encoding or chunk sizes) is malformed.',
        };
      }
      return { status: 400, code: 'malformed_request', message: 'The request is not valid HTTP/1.1.' };
  }
}

/**
 * Answers what never reaches a request handler, so a hostile client gets a
 * clear 4xx and a log line instead of a silent reset:
 * - `clientError` (unparseable request line or headers, bad chunking or
 *   Content-Length, headers over the size limit, a request or headers timeout):
 *   a JSON 4xx, then the connection is closed;
 * - `connect` (the CONNECT method: we are not a proxy): 405;
 * - `drop` (past `server.maxConnections`): counted, one log line per interval.
 * Nothing from the request (target, headers, body) is logged, only codes.
 */
export function guardConnections(server: Server, options: ConnectionGuardOptions): void {
  const { logger } = options;
  // Responses still being produced per socket: once one has sent its headers, a refusal cannot be slipped in.
  const pending = new WeakMap<Duplex, Set<ServerResponse>>();
  // After a parse error Node's parser reports again for every further chunk: answer and log once.
  const answered = new WeakSet<Duplex>();

  server.on('request', (req, res) => {
    const socket = req.socket;
    let set = pending.get(socket);
    if (!set) pending.set(socket, (set = new Set()));
    set.add(res);
    res.once('close', () => set.delete(res));
  });

  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // Parser errors and timeouts are the client's doing and get an answer; anything else (a reset, a write
    // after the client half-closed) means the connection is already unusable.
    if (!error.code?.startsWith('HPE_') && error.code !== 'ERR_HTTP_REQUEST_TIMEOUT') {
      logger.debug('connection failed', { code: error.code ?? error.name });
      socket.destroy();
      return;
    }
    const answer = describeClientError(error);
    const midResponse = [...(pending.get(socket) ?? [])].some((res) => res.headersSent);
    logger.warn('request refused', {
      route: 'client_error',
      status: answer.status,
      code: answer.code,
      ...(error.code ? { parserCode: error.code } : {}),
    });
    if (!socket.writable || midResponse) {
      socket.destroy();
      return;
    }
    refuseOnSocket(socket, answer.status, options.errorBody(answer.code, answer.message));
  });

  server.on('connect', (_req, socket: Duplex) => {
    logger.warn('request refused', { route: 'connect', status: 405, code: 'method_not_allowed' });
    answered.add(socket);
    refuseOnSocket(
      socket,
      405,
      options.errorBody('method_not_allowed', 'CONNECT is not supported: this server is not a proxy.'),
    );
  });

  const interval = options.dropLogIntervalMs ?? 10_000;
  let dropped = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flushDrops = (): void => {
    flushTimer = null;
    if (dropped === 0) return;
    logger.warn('connections dropped', { count: dropped, maxConnections: server.maxConnections });
    dropped = 0;
    flushTimer = setTimeout(flushDrops, interval);
    flushTimer.unref();
  };
  server.on('drop', () => {
    dropped++;
    if (flushTimer === null) flushDrops();
  });
}

/**
 * Writes a complete response straight to the socket and closes it. The
 * socket keeps draining what the client still sends for a moment: closing a
 * socket with unread input makes the kernel send a reset, which can destroy
 * the answer before the client reads it.
 */
function refuseOnSocket(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      text,
  );
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), DRAIN_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
