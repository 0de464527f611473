/**
 * A fake Gemini API (generativelanguage v1beta) on 127.0.0.1 for embeddings.
 * Speaks the documented wire format:
 *
 * - POST /v1beta/models/{model}:batchEmbedContents
 *   body `{ requests: [{ model, content: { parts: [{ text }] }, taskType, outputDimensionality }] }`
 *   -> `{ embeddings: [{ values: number[] }] }`
 * - POST /v1beta/models/{model}:embedContent
 *   body `{ content, taskType, outputDimensionality }` -> `{ embedding: { values } }`
 *
 * Authentication is the `x-goog-api-key` header; a wrong or missing key gets
 * Gemini's 400 INVALID_ARGUMENT / API_KEY_INVALID error. Vectors are
 * deterministic pseudo-random functions of the text, NOT unit length when the
 * dimensionality is reduced (as with the real service), truncated from a
 * 3072-wide vector. Switches make the next N requests fail with 429 (with a
 * Retry-After header and a google.rpc.RetryInfo detail) or 500.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server';

export interface RecordedEmbedRequest {
  model: string;
  method: 'batchEmbedContents' | 'embedContent';
  apiKey: string | null;
  texts: string[];
  taskTypes: Array<string | undefined>;
  outputDimensionality: Array<number | undefined>;
  /** Arrival time (Date.now()). */
  at: number;
  /** Status we answered with. */
  status: number;
}

export interface FakeGeminiServer {
  baseUrl: string;
  requests: RecordedEmbedRequest[];
  /** The next `times` requests answer 429 RESOURCE_EXHAUSTED, advertising `retryAfterSeconds`. */
  failWith429(times: number, retryAfterSeconds: number): void;
  /** The next `times` requests answer 500 INTERNAL. */
  failWith500(times: number): void;
  /** The full-width vector the fake assigns to a text (before truncation). */
  fullVector(text: string): number[];
  close(): Promise<void>;
}

const FULL_DIMENSIONS = 3072;
const MAX_BATCH = 100;

interface EmbedRequestBody {
  model?: string;
  content?: { parts?: Array<{ text?: string }> };
  taskType?: string;
  outputDimensionality?: number;
}

function vectorFor(text: string): number[] {
  const values: number[] = [];
  let block = 0;
  while (values.length < FULL_DIMENSIONS) {
    const digest = createHash('sha256').update(`${block++}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && values.length < FULL_DIMENSIONS; i += 2) {
      values.push(digest.readInt16LE(i) / 32768);
    }
  }
  return values;
}

export async function startFakeGeminiServer(options: { apiKey: string }): Promise<FakeGeminiServer> {
  const requests: RecordedEmbedRequest[] = [];
  let fail429 = 0;
  let retryAfter = 0;
  let fail500 = 0;

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
  };
  const error = (code: number, status: string, message: string, details: unknown[] = []): unknown => ({
    error: { code, message, status, details },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/v1beta\/models\/([^/:]+):(batchEmbedContents|embedContent)$/.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      sendJson(res, 404, error(404, 'NOT_FOUND', `Unknown path ${url.pathname}`));
      return;
    }
    const [, model, method] = match as unknown as [string, string, 'batchEmbedContents' | 'embedContent'];
    const apiKey = (req.headers['x-goog-api-key'] as string | undefined) ?? url.searchParams.get('key');
    let body: { requests?: EmbedRequestBody[] } & EmbedRequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      sendJson(res, 400, error(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
      return;
    }
    const items: EmbedRequestBody[] = method === 'batchEmbedContents' ? (body.requests ?? []) : [body];
    const record: RecordedEmbedRequest = {
      model,
      method,
      apiKey,
      texts: items.map((r) => (r.content?.parts ?? []).map((p) => p.text ?? '').join('')),
      taskTypes: items.map((r) => r.taskType),
      outputDimensionality: items.map((r) => r.outputDimensionality),
      at: Date.now(),
      status: 200,
    };
    requests.push(record);
    const answer = (status: number, payload: unknown, headers?: Record<string, string>): void => {
      record.status = status;
      sendJson(res, status, payload, headers);
    };

    if (apiKey !== options.apiKey) {
      answer(
        400,
        error(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
        ]),
      );
      return;
    }
    if (fail429 > 0) {
      fail429--;
      answer(
        429,
        error(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` },
        ]),
        { 'retry-after': String(Math.ceil(retryAfter)) },
      );
      return;
    }
    if (fail500 > 0) {
      fail500--;
      answer(500, error(500, 'INTERNAL', 'An internal error has occurred.'));
      return;
    }
    if (items.length > MAX_BATCH) {
      answer(
        400,
        error(
          400,
          'INVALID_ARGUMENT',
          `* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests can be in one batch`,
        ),
      );
      return;
    }
    const embeddings = items.map((item, i) => {
      const dims = item.outputDimensionality ?? FULL_DIMENSIONS;
      return { values: vectorFor(record.texts[i]!).slice(0, dims) };
    });
    answer(200, method === 'batchEmbedContents' ? { embeddings } : { embedding: embeddings[0] });
  };

  const server = await listenOnLoopback(handle);
  return {
    baseUrl: server.url,
    requests,
    failWith429(times, retryAfterSeconds) {
      fail429 = times;
      retryAfter = retryAfterSeconds;
    },
    failWith500(times) {
      fail500 = times;
    },
    fullVector: vectorFor,
    close: () => server.close(),
  };
}
