import { AppError } from '../../../../shared/errors';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { SyncStats } from '../types';
import { abortableDelay, cancelled } from './delay';
import type { RateLimiter } from './rate-limiter';

/** Decides whether a failed answer is worth retrying. Gets a buffered copy of the body. */
export type RetryClassifier = (status: number, bodyText: string) => boolean;

export interface RetryPolicy {
  /** Retries after the first attempt. Default 6. */
  maxRetries?: number;
  /** First backoff step; doubled each attempt, with full jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Ceiling for one wait, Retry-After included. Default 60 s. */
  maxDelayMs?: number;
  /** One attempt (request + body) taking longer is abandoned and retried. Default 60 s. */
  attemptTimeoutMs?: number;
}

export interface ProviderFetchOptions extends RetryPolicy {
  fetch: typeof fetch;
  clock: Clock;
  /** Counters for the sync log; every attempt is an API call, every body byte is counted. */
  stats?: SyncStats;
  /** Cancels waits and in-flight requests (combined with a per-request `init.signal`). */
  signal?: AbortSignal;
  rateLimiter?: RateLimiter;
  /** Default: 408, 429 and 5xx. Drive adds its 403 rate-limit reasons. */
  isRetryable?: RetryClassifier;
  logger?: Logger;
  /** Source of jitter; injectable so tests are deterministic. Default Math.random. */
  random?: () => number;
}

export const defaultRetryClassifier: RetryClassifier = (status) =>
  status === 408 || status === 429 || (status >= 500 && status <= 599);

/**
 * Wraps `fetch` with what every provider API needs: exponential backoff with
 * full jitter on transient answers, `Retry-After` honoured, network errors
 * retried, an optional request-rate limit, cancellation, and API-call/byte
 * accounting. Bodies are buffered so they can be counted and re-read; the
 * connectors cap download sizes before calling this.
 *
 * After the last retry the final answer is returned as is (not thrown), so
 * the caller can turn the provider's error body into a precise AppError.
 */
export function createProviderFetch(options: ProviderFetchOptions): typeof fetch {
  const maxRetries = options.maxRetries ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const isRetryable = options.isRetryable ?? defaultRetryClassifier;
  const random = options.random ?? Math.random;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;

  const backoff = (attempt: number): number => Math.min(maxDelayMs, random() * baseDelayMs * 2 ** attempt);

  const providerFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const signal = combineSignals(options.signal, init?.signal ?? undefined);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancelled(signal);
      await options.rateLimiter?.acquire(signal);
      let response: Response;
      let body: ArrayBuffer;
      try {
        if (options.stats) options.stats.apiCalls++;
        const attemptSignal = combineSignals(signal, AbortSignal.timeout(attemptTimeoutMs));
        response = await options.fetch(input, { ...init, signal: attemptSignal });
        body = await response.arrayBuffer();
      } catch (error) {
        if (signal?.aborted) throw cancelled(signal);
        if (attempt >= maxRetries) {
          throw new AppError(
            'UNAVAILABLE',
            'The service could not be reached. Check the network connection and try again.',
            {
              cause: error,
            },
          );
        }
        const delay = backoff(attempt);
        options.logger?.warn('request failed, retrying', { attempt: attempt + 1, delayMs: Math.round(delay) });
        await abortableDelay(options.clock, delay, signal);
        continue;
      }
      if (options.stats) options.stats.bytesTransferred += body.byteLength;
      const copy = rebuildResponse(response, body);
      if (response.ok || attempt >= maxRetries) return copy;
      const bodyText = new TextDecoder().decode(body);
      if (!isRetryable(response.status, bodyText)) return copy;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), options.clock.now());
      const delay = Math.min(maxDelayMs, retryAfter ?? backoff(attempt));
      options.logger?.warn('transient answer, retrying', {
        status: response.status,
        attempt: attempt + 1,
        delayMs: Math.round(delay),
      });
      await abortableDelay(options.clock, delay, signal);
    }
  };
  return providerFetch as typeof fetch;
}

/** Retry-After is either delta-seconds or an HTTP date; returns ms to wait, or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function rebuildResponse(response: Response, body: ArrayBuffer): Response {
  // Null-body statuses may not carry a body at all.
  const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
  const copy = new Response(nullBody ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

function combineSignals(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (a && b) return AbortSignal.any([a, b]);
  return a ?? b;
}
