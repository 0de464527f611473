import { ApiError, GoogleGenAI } from '@google/genai';
import { AppError } from '../../../shared/errors';
import { pause, systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import { toUnitVector } from './normalise';
import type { Embedder } from './types';

export interface GeminiEmbedderOptions {
  /** Reads the key from the keychain at call time; null when none is stored. */
  apiKey: () => Promise<string | null>;
  /** Default `gemini-embedding-001`. */
  model?: string;
  /** Output dimensionality requested from the API. Default 768. */
  dimensions?: number;
  /** API root. Default Google's (`https://generativelanguage.googleapis.com`); tests use a local fake. */
  baseUrl?: string;
  /** Texts per request. Default and maximum 100 (the API's batch limit). */
  maxBatch?: number;
  /** Attempts per batch, first one included, on 429 / 5xx / network errors. Default 5. */
  maxAttempts?: number;
  /** First backoff delay; doubles each retry, with jitter. Default 1000 ms. */
  baseDelayMs?: number;
  /** Cap for any single wait, including server-requested ones. Default 60000 ms. */
  maxDelayMs?: number;
  logger?: Logger;
  clock?: Clock;
}

type TaskType = 'RETRIEVAL_DOCUMENT' | 'RETRIEVAL_QUERY';

const API_BATCH_LIMIT = 100;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Gemini's error body, as @google/genai puts it (JSON) into ApiError.message. */
interface GeminiErrorBody {
  error?: {
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }>;
  };
}

function parseErrorBody(err: ApiError): GeminiErrorBody['error'] {
  try {
    return (JSON.parse(err.message) as GeminiErrorBody).error;
  } catch {
    return undefined;
  }
}

/**
 * The wait the server asked for. @google/genai does not expose response
 * headers on errors, so a Retry-After header cannot be read through it;
 * Gemini states the same delay in the body as a google.rpc.RetryInfo detail
 * (`retryDelay: "13.5s"`), which is what we honour.
 */
function serverRetryDelayMs(body: GeminiErrorBody['error']): number | null {
  for (const detail of body?.details ?? []) {
    const match = detail['@type']?.endsWith('google.rpc.RetryInfo')
      ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay ?? '')
      : null;
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return null;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}

// A search waiting out a 429 may be all a CLI process has left to do: the pause keeps it alive.
const sleep = (ms: number, clock: Clock, signal?: AbortSignal): Promise<void> =>
  pause(clock, ms, signal, () => new AppError('CANCELLED', 'Embedding was cancelled.'));

/**
 * Embeds through the Gemini API with @google/genai: batches of at most 100
 * texts, `RETRIEVAL_DOCUMENT` / `RETRIEVAL_QUERY` task types, a reduced
 * output dimensionality, and vectors re-normalised to unit length (reduced
 * Gemini vectors are not). 429 and 5xx are retried with exponential backoff,
 * honouring the server's requested delay; the SDK's own retry stays off so
 * there is one retry policy. A missing or rejected key is CONNECTOR_AUTH. The
 * key never appears in errors or logs.
 */
export function createGeminiEmbedder(options: GeminiEmbedderOptions): Embedder {
  const model = options.model ?? 'gemini-embedding-001';
  const dimensions = options.dimensions ?? 768;
  const maxBatch = Math.min(API_BATCH_LIMIT, Math.max(1, options.maxBatch ?? API_BATCH_LIMIT));
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child('embed:gemini');

  let cached: { key: string; client: GoogleGenAI } | null = null;
  const client = async (): Promise<{ key: string; client: GoogleGenAI }> => {
    const key = (await options.apiKey())?.trim();
    if (!key) throw new AppError('CONNECTOR_AUTH', 'Add your Gemini API key in Settings to use Gemini embeddings.');
    if (cached?.key !== key) {
      cached = {
        key,
        client: new GoogleGenAI({
          apiKey: key,
          httpOptions: options.baseUrl ? { baseUrl: options.baseUrl } : undefined,
        }),
      };
    }
    return cached;
  };

  const redact = (text: string, key: string): string => text.split(key).join('[redacted]');

  /** Turns a failed attempt into either a wait (retry) or a final AppError. */
  const classify = (err: unknown, key: string, attempt: number): { retryInMs: number } | AppError => {
    if (isAbort(err)) return new AppError('CANCELLED', 'Embedding was cancelled.');
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
    const lastAttempt = attempt >= maxAttempts;
    if (err instanceof ApiError) {
      const body = parseErrorBody(err);
      const reason = body?.details?.find((d) => d.reason)?.reason;
      const safeMessage = redact(body?.message ?? `HTTP ${err.status}`, key);
      if (err.status === 401 || err.status === 403 || reason === 'API_KEY_INVALID') {
        return new AppError('CONNECTOR_AUTH', 'Gemini rejected the API key. Check the key in Settings.', {
          details: { status: err.status },
        });
      }
      if (RETRYABLE_STATUS.has(err.status)) {
        if (!lastAttempt) return { retryInMs: Math.min(maxDelayMs, serverRetryDelayMs(body) ?? backoff) };
        return err.status === 429
          ? new AppError('RATE_LIMITED', 'Gemini is rate-limiting this API key. Embedding will be retried later.', {
              details: { status: 429 },
            })
          : new AppError('UNAVAILABLE', `Gemini is not answering properly (HTTP ${err.status}). Try again later.`, {
              details: { status: err.status },
            });
      }
      return new AppError('INTERNAL', `Gemini refused the embedding request (HTTP ${err.status}): ${safeMessage}`, {
        details: { status: err.status },
      });
    }
    // No HTTP answer at all: DNS, refused connection, reset.
    if (!lastAttempt) return { retryInMs: backoff };
    return new AppError('UNAVAILABLE', 'Could not reach Gemini. Check your internet connection and try again.');
  };

  const embedBatch = async (texts: string[], taskType: TaskType, signal?: AbortSignal): Promise<Float32Array[]> => {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Embedding was cancelled.');
      const { key, client: ai } = await client();
      try {
        const response = await ai.models.embedContent({
          model,
          contents: texts,
          config: { taskType, outputDimensionality: dimensions, abortSignal: signal },
        });
        const embeddings = response.embeddings ?? [];
        if (embeddings.length !== texts.length) {
          throw new AppError('INTERNAL', `Gemini returned ${embeddings.length} vectors for ${texts.length} texts.`);
        }
        return embeddings.map((e) => {
          const values = e.values ?? [];
          if (values.length !== dimensions) {
            throw new AppError(
              'INTERNAL',
              `Gemini returned ${values.length}-dimensional vectors; ${dimensions} were requested.`,
            );
          }
          return toUnitVector(values);
        });
      } catch (err) {
        if (err instanceof AppError) throw err;
        const outcome = classify(err, key, attempt);
        if (outcome instanceof AppError) {
          logger.warn('embedding request failed', { code: outcome.code, attempt, texts: texts.length });
          throw outcome;
        }
        logger.info('embedding request will be retried', { attempt, waitMs: outcome.retryInMs });
        await sleep(outcome.retryInMs, clock, signal);
      }
    }
  };

  const embedAll = async (texts: string[], taskType: TaskType, signal?: AbortSignal): Promise<Float32Array[]> => {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += maxBatch) {
      vectors.push(...(await embedBatch(texts.slice(start, start + maxBatch), taskType, signal)));
    }
    return vectors;
  };

  return {
    space: { provider: 'gemini', model, dimensions },
    dimensions,
    embedDocuments: (texts, options) => embedAll(texts, 'RETRIEVAL_DOCUMENT', options?.signal),
    embedQuery: async (text, signal) => (await embedAll([text], 'RETRIEVAL_QUERY', signal))[0]!,
  };
}
