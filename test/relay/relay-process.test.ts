import { describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../src/relay-server/config';
import { spawnRelay, tempDir, waitFor } from './helpers';

describe('relay process', () => {
  it('reads flags before environment before defaults, and the admin token only from the environment', () => {
    const config = loadRelayConfig(['--port', '9000', '--public-url', 'https://relay.example.com/'], {
      RELAY_PORT: '7000',
      RELAY_HOST: '0.0.0.0',
      RELAY_RETENTION_HOURS: '48',
      RELAY_ADMIN_TOKEN: 'adm',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      publicBaseUrl: 'https://relay.example.com',
      retentionMs: 48 * 3_600_000,
      bodyLimitBytes: 256 * 1024,
      longPollMs: 25_000,
      adminToken: 'adm',
    });
    expect(loadRelayConfig([], {}).host).toBe('127.0.0.1');
    expect(() => loadRelayConfig(['--port', 'eighty'], {})).toThrow(/port/);
    expect(() => loadRelayConfig(['--admin-token', 'x'], {})).toThrow();
    expect(
      loadRelayConfig(['--failed-auth-burst', '5', '--request-timeout-seconds', '2'], {
        RELAY_FAILED_AUTH_PER_SECOND: '0.5',
        RELAY_HEADERS_TIMEOUT_SECONDS: '1.5',
        RELAY_MAX_CONNECTIONS: '64',
      }),
    ).toMatchObject({
      failedAuthBurst: 5,
      failedAuthPerSecond: 0.5,
      requestTimeoutMs: 2000,
      headersTimeoutMs: 1500,
      maxConnections: 64,
    });
    expect(loadRelayConfig([], {})).toMatchObject({ failedAuthBurst: 20, headersTimeoutMs: 15_000 });
    // Node refuses a headers timeout longer than the request timeout: say so at start-up, not at the first request.
    expect(() => loadRelayConfig(['--headers-timeout-seconds', '40'], {})).toThrow(/headers timeout/);
    expect(() => loadRelayConfig(['--request-timeout-seconds', '0'], {})).toThrow(/positive/);
  });

  it('starts with `node bin/relay.js`, serves /healthz and stops cleanly on SIGTERM', async () => {
    const tmp = tempDir('relay-proc-');
    const relay = await spawnRelay(['--port', '0', '--data', `${tmp.dir}/relay.sqlite`]);
    try {
      expect(relay.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${relay.origin}/healthz`)).status).toBe(200);
      relay.child.kill('SIGTERM');
      expect(await relay.exited).toBe(0);
      expect(relay.logs()).toContain('"msg":"relay stopped"');
    } finally {
      relay.kill();
      tmp.cleanup();
    }
  });

  it('logs a stray uncaught exception or unhandled rejection and keeps serving', async () => {
    const tmp = tempDir('relay-stray-');
    // The real entry point, plus a throw in a timer and a rejection nobody awaits, after it started.
    const relay = await spawnRelay(['--port', '0', '--data', `${tmp.dir}/relay.sqlite`], {
      entry: ['--import', 'tsx', 'test/relay/fixtures/relay-with-stray-errors.ts'],
    });
    try {
      await waitFor(
        () =>
          relay.logs().includes('uncaught exception; still serving') &&
          relay.logs().includes('unhandled rejection; still serving'),
        10_000,
        'both stray errors logged',
      );
      expect((await fetch(`${relay.origin}/healthz`)).status).toBe(200);
      expect(relay.child.exitCode).toBeNull();
      const lines = relay
        .logs()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          msg: 'uncaught exception; still serving',
          error: expect.objectContaining({ name: 'Error', message: 'stray throw in a timer' }),
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          msg: 'unhandled rejection; still serving',
          error: expect.objectContaining({ message: 'stray rejection nobody awaited' }),
        }),
      );
    } finally {
      relay.kill();
      tmp.cleanup();
    }
  });
});
