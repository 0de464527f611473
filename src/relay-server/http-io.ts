import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A refusal with an HTTP status and a stable machine code; the message never echoes input. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Reads the whole body as a Buffer, refusing (413) as soon as it passes
 * `limit` bytes, whether or not Content-Length was declared honestly.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Past the limit the rest is discarded, not buffered; the caller answers 413 and closes the connection.
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `Request body exceeds the relay's limit of ${limit} bytes.`, {
    connection: 'close',
  });
}

/** A 429 with Retry-After in whole seconds (at least 1; 60 when no token will ever come). */
export function rateLimited(retryMs: number, message: string, code = 'rate_limited'): HttpError {
  const seconds = Number.isFinite(retryMs) ? Math.max(1, Math.ceil(retryMs / 1000)) : 60;
  return new HttpError(429, code, message, { 'retry-after': String(seconds) });
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'malformed_json', 'Request body is not valid JSON.');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string comparison (lengths may differ without leaking where they differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

export function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An error for the log: name, code and the first 200 characters of the
 * message. Errors that get this far come from SQLite, the file system or a
 * bug; request bodies are parsed by code that turns failures into HttpError
 * first, so no body text reaches a message.
 */
export function errorSummary(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message.slice(0, 200),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
