import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../../src/main/core/clock';
import { createProviderFetch, parseRetryAfter, RateLimiter } from '../../src/main/core/connectors/http';

/** The shared provider HTTP helper (used by both connectors), with Notion's limits. */
describe('RateLimiter', () => {
  it('lets a burst through, then spaces requests to the average rate', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ requestsPerSecond: 3, burst: 3, clock });
    const granted: number[] = [];
    const all = Array.from({ length: 9 }, () => limiter.acquire().then(() => granted.push(clock.now())));
    for (let i = 0; i < 40; i++) {
      await Promise.resolve();
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(all);
    expect(granted.slice(0, 3)).toEqual([0, 0, 0]);
    // After the burst, one request every 333 ms: 9 requests take 2 s.
    expect(granted[8]).toBeGreaterThanOrEqual(2000);
    expect(granted[8]).toBeLessThanOrEqual(2100);
  });

  it('rejects a waiting caller when the sync is cancelled', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ requestsPerSecond: 1, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter('0.5', 0)).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('createProviderFetch', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function serve(answers: { status: number; body: string; headers?: Record<string, string> }[]): Promise<string> {
    let i = 0;
    server = createServer((_req, res) => {
      const answer = answers[Math.min(i++, answers.length - 1)]!;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
  }

  const instant = (waits: number[]): Clock => ({
    now: () => 0,
    setTimeout: (fn, ms) => {
      waits.push(ms);
      return setTimeout(fn, 0);
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });

  it('retries transient answers, counts every attempt and byte, and returns the final body', async () => {
    const url = await serve([
      { status: 429, body: 'slow down', headers: { 'retry-after': '3' } },
      { status: 502, body: 'bad gateway' },
      { status: 200, body: '{"ok":true}' },
    ]);
    const stats = { apiCalls: 0, bytesTransferred: 0 };
    const waits: number[] = [];
    const providerFetch = createProviderFetch({
      fetch: globalThis.fetch,
      clock: instant(waits),
      stats,
      baseDelayMs: 100,
      random: () => 1,
    });
    const response = await providerFetch(url);
    expect(await response.json()).toEqual({ ok: true });
    expect(stats).toEqual({
      apiCalls: 3,
      bytesTransferred: 'slow down'.length + 'bad gateway'.length + '{"ok":true}'.length,
    });
    expect(waits).toEqual([3000, 200]); // Retry-After first, then backoff 100 * 2^1
  });

  it('hands back a non-retryable error answer untouched', async () => {
    const url = await serve([{ status: 400, body: '{"code":"validation_error"}' }]);
    const stats = { apiCalls: 0, bytesTransferred: 0 };
    const response = await createProviderFetch({ fetch: globalThis.fetch, clock: instant([]), stats })(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('{"code":"validation_error"}');
    expect(stats.apiCalls).toBe(1);
  });
});
