import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/core/api/dispatch';
import { createLogger } from '../../src/main/core/logger';
import { startServeServer, type ServeHandle } from '../../src/main/serve';
import { runFuzz, URL_CRASH_TARGETS, violations, type FuzzProfile } from '../helpers/http-fuzz';
import { startRealApp, type RealApp } from '../helpers/real-app';

/**
 * Malformed requests over raw TCP against the real browser-mode server.
 * Reproduce a failure with SERVE_FUZZ_SEED=<seed printed in the summary>.
 */
const SEED = Number(process.env.SERVE_FUZZ_SEED ?? 7_2026);
const REQUESTS = Number(process.env.SERVE_FUZZ_REQUESTS ?? 1200);

describe('browser-mode server under malformed requests', () => {
  let root: string;
  let app: RealApp;
  let server: ServeHandle;
  const logLines: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'trove-serve-fuzz-'));
    const rendererDir = path.join(root, 'renderer');
    await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Trove</title>');
    await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    app = await startRealApp();
    const logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
    server = await startServeServer({
      dispatcher: createDispatcher(app.api, logger),
      onEvent: app.onEvent,
      rendererDir,
      uploadDir: path.join(root, 'uploads'),
      logger,
    });
  });

  afterAll(async () => {
    await server?.close();
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it(`answers malformed URLs with 400, unauthenticated calls with 4xx, and never 500 (seed ${SEED})`, async () => {
    const port = Number(new URL(server.origin).port);
    const auth: [string, string] = ['Authorization', `Bearer ${server.token}`];
    const json: [string, string] = ['Content-Type', 'application/json'];
    const profile: FuzzProfile = {
      host: `127.0.0.1:${port}`,
      bases: [
        { method: 'GET', target: '/', headers: [], allowed: [200] },
        { method: 'GET', target: '/assets/app.js', headers: [], allowed: [200] },
        { method: 'POST', target: '/api/listConnectors', headers: [auth, json], body: '{}', allowed: [200] },
        { method: 'POST', target: '/api/search', headers: [auth, json], body: '{"query":"x"}', allowed: [200] },
        {
          method: 'POST',
          target: '/api/upload?batch=fuzzbatch1&name=a.txt',
          headers: [auth, ['Content-Type', 'application/octet-stream']],
          body: 'hello',
          allowed: [200],
        },
        { method: 'POST', target: '/api/listConnectors', headers: [json], body: '{}', allowed: [401], tag: 'no-token' },
        { method: 'GET', target: '/api/events?token=wrong', headers: [], allowed: [401], tag: 'no-token' },
        // A page address carrying a token is traded for a session (a right one) and redirected without it.
        { method: 'GET', target: '/?token=wrong', headers: [], allowed: [303], tag: 'no-token' },
        {
          method: 'POST',
          target: '/api/upload?batch=fuzzbatch2&name=b.txt',
          headers: [['Content-Type', 'application/octet-stream']],
          body: 'x',
          allowed: [401],
          tag: 'no-token',
        },
      ],
      badTargets: [
        ...URL_CRASH_TARGETS,
        '/api/%zz',
        '/api/list%Connectors',
        '/api/listConnectors?token=%',
        '/api/upload?batch=fuzzbatch3&name=%E0',
        '/%',
        '/..%2f..%2fsecret.txt',
      ],
    };
    const run = await runFuzz(port, profile, { seed: SEED, count: REQUESTS, concurrency: 16 });
    const { outcomes } = run;
    console.log(
      `serve fuzz: seed ${SEED}, ${outcomes.length} requests in ${run.seconds} s; ` +
        `by class ${JSON.stringify(run.byClass)}; by status ${JSON.stringify(run.byStatus)}`,
    );

    expect(violations(outcomes)).toEqual([]);
    // However mangled, a request without the token never reaches the core: no JSON result, no event stream.
    const leaked = outcomes.filter(
      (o) =>
        o.fuzzCase.tag === 'no-token' &&
        o.status !== null &&
        o.status < 300 &&
        /json|event-stream/.test(o.contentType ?? ''),
    );
    expect(leaked).toEqual([]);
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    expect(logLines.join('\n')).not.toContain(server.token);

    // Still serving.
    const response = await fetch(`${server.origin}/api/listConnectors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await response.json()).toEqual({ ok: true, value: { items: [] } });
  });

  it('answers bad %-escapes in the path, the command name and the query with a JSON 400', async () => {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    for (const target of ['/api/%zz', '/api/list%E0Connectors', '/api/listConnectors?x=%', '/assets/%C0%80.js']) {
      const response = await fetch(`${server.origin}${target}`, { method: 'POST', headers, body: '{}' });
      expect(response.status, target).toBe(400);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});
