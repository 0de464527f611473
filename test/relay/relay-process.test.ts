import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../src/relay/config';
import { tempDir } from './helpers';

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
  });

  it('starts with `node bin/relay.js`, serves /healthz and stops cleanly on SIGTERM', async () => {
    const tmp = tempDir('relay-proc-');
    const child = spawn(process.execPath, ['bin/relay.js', '--port', '0', '--data', `${tmp.dir}/relay.sqlite`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let logs = '';
    child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`relay did not start: ${logs}`)), 20_000);
        child.stderr.on('data', () => {
          const line = logs.split('\n').find((l) => l.includes('relay listening'));
          if (line) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { origin: string }).origin);
          }
        });
      });
      expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(logs).toContain('"msg":"relay stopped"');
    } finally {
      child.kill('SIGKILL');
      tmp.cleanup();
    }
  });
});
