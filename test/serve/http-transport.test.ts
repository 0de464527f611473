import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TroveEvent } from '../../src/shared/contract';
import { createDispatcher } from '../../src/main/core/api/dispatch';
import { silentLogger } from '../../src/main/core/logger';
import { startServeServer, type ServeHandle } from '../../src/main/serve';
import { createHttpClient } from '../../src/renderer/api/transports';
import { startRealApp, type RealApp } from '../helpers/real-app';

let root: string;
let core: RealApp;
let server: ServeHandle;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'trove-serve-'));
  const rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Trove</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(root, 'secret.txt'), 'outside the renderer');
  core = await startRealApp();
  server = await startServeServer({
    dispatcher: createDispatcher(core.api, silentLogger),
    onEvent: core.onEvent,
    rendererDir,
    uploadDir: path.join(root, 'uploads'),
  });
});

afterEach(async () => {
  await server.close();
  await core.close();
  await rm(root, { recursive: true, force: true });
});

/** A raw request so tests can set Host/Origin headers that fetch forbids. */
function rawRequest(options: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The simplest command, listConnectors, sent by hand with exactly these headers. */
function listConnectorsWith(headers: Record<string, string>) {
  return rawRequest({ path: '/api/listConnectors', method: 'POST', headers, body: '{}' });
}

describe('HTTP transport against the real serve server', () => {
  it('prints a loopback URL with a long random token', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toBe(server.token);
    expect(Buffer.from(server.token, 'base64url').length).toBe(32);
  });

  it('calls commands with the token and gets typed results, including errors', async () => {
    const client = createHttpClient({ baseUrl: server.origin, token: server.token });
    await expect(client.call('listConnectors', {})).resolves.toEqual({ ok: true, value: { items: [] } });
    const bad = await client.call('addLocalFolder', { path: 'relative/path' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toContain('path: must be a full path');
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const wrong = createHttpClient({ baseUrl: server.origin, token: 'nope' });
    await expect(wrong.call('listConnectors', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: expect.stringContaining('trove serve') },
    });
    const missing = await fetch(`${server.origin}/api/listConnectors`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(401);
    const events = await fetch(`${server.origin}/api/events`);
    expect(events.status).toBe(401);
    // The token in the event stream's URL is not accepted any more: nothing secret travels in a URL after the first page.
    const inUrl = await fetch(`${server.origin}/api/events?token=${encodeURIComponent(server.token)}`);
    expect(inUrl.status).toBe(401);
  });

  it('trades the printed URL for an HttpOnly, SameSite=Strict session cookie, and only the right token', async () => {
    const first = await rawRequest({ path: `/?token=${encodeURIComponent(server.token)}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    const port = new URL(server.origin).port;
    expect(setCookie).toMatch(
      new RegExp(`^trove_session_${port}=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    const cookie = setCookie.split(';')[0]!;

    // Another tab or a bookmark of the same browser: the cookie alone is enough, for commands and the event stream.
    const call = await listConnectorsWith({ Cookie: cookie, 'Content-Type': 'application/json' });
    expect(call.status).toBe(200);
    expect(JSON.parse(call.body)).toMatchObject({ ok: true });
    const stream = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.origin);
      const req = request(
        { host: url.hostname, port: url.port, path: '/api/events', headers: { Cookie: cookie } },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy();
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(stream).toBe(200);

    // A wrong token gets no cookie; a made-up cookie or another server's cookie name gets nothing.
    const wrong = await rawRequest({ path: '/?token=nope' });
    expect(wrong.status).toBe(303);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    for (const forged of [`trove_session_${port}=forged`, cookie.replace(`trove_session_${port}`, 'trove_session_1')]) {
      const refused = await listConnectorsWith({ Cookie: forged, 'Content-Type': 'application/json' });
      expect(refused.status).toBe(401);
    }
    // The cookie does not lift the Origin check: a cross-site page cannot use it.
    const crossSite = await listConnectorsWith({
      Cookie: cookie,
      Origin: 'http://evil.example',
      'Content-Type': 'application/json',
    });
    expect(crossSite.status).toBe(403);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding, cross-site posts)', async () => {
    const port = new URL(server.origin).port;
    const auth = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    const rebound = await listConnectorsWith({ ...auth, Host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    const crossSite = await listConnectorsWith({ ...auth, Host: `127.0.0.1:${port}`, Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const sameSite = await listConnectorsWith({
      ...auth,
      Host: `localhost:${port}`,
      Origin: `http://localhost:${port}`,
    });
    expect(sameSite.status).toBe(200);
    const form = await listConnectorsWith({ Authorization: auth.Authorization, 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
  });

  it('serves the renderer with the strict CSP and never a file outside it', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<title>Trove</title>');
    expect((await fetch(`${server.origin}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    // A climb out of the renderer folder, plain or encoded, is refused before any file is looked up.
    for (const path of ['/..%2fsecret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt']) {
      const escape = await rawRequest({ path });
      expect(escape.status).toBe(400);
      expect(escape.body).not.toContain('outside the renderer');
    }
  });

  it('streams core events to subscribers over SSE', async () => {
    const client = createHttpClient({ baseUrl: server.origin, token: server.token });
    const received: TroveEvent[] = [];
    const unsubscribe = client.subscribe((event) => received.push(event));
    const folder = path.join(root, 'notes');
    await mkdir(folder);
    await writeFile(path.join(folder, 'a.md'), '# A\n\nalpha');
    // Give the stream a moment to connect before the core starts emitting.
    await new Promise((r) => setTimeout(r, 100));
    await client.call('addLocalFolder', { path: folder });
    await waitFor(() => received.some((e) => e.type === 'sync.finished'));
    unsubscribe();
    const types = received.map((e) => (e.type === 'job' ? `job.${e.phase}` : e.type));
    expect(types).toEqual(
      expect.arrayContaining([
        'connector.changed',
        'job.queued',
        'job.started',
        'job.progress',
        'run.progress',
        'job.succeeded',
        'sync.finished',
      ]),
    );
  });

  it('uploads dropped files into the upload folder, confined to it', async () => {
    const client = createHttpClient({ baseUrl: server.origin, token: server.token });
    const done: number[] = [];
    const result = await client.uploadFiles!([new File(['hello'], '../../escape.md')], (i) => done.push(i));
    expect(result.ok).toBe(true);
    const saved = result.ok ? result.value.paths[0]! : '';
    expect(saved.startsWith(path.join(root, 'uploads') + path.sep)).toBe(true);
    expect(path.basename(saved)).toBe('escape.md');
    expect(await readFile(saved, 'utf8')).toBe('hello');
    expect(done).toEqual([0]);
  });

  it('leaves no partial file behind when the browser hangs up mid-upload, and keeps serving', async () => {
    const url = new URL(server.origin);
    const folder = path.join(root, 'uploads', 'cutbatch01');
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/upload?batch=cutbatch01&name=half.bin HTTP/1.1\r\nHost: ${url.host}\r\n` +
            `Authorization: Bearer ${server.token}\r\nContent-Type: application/octet-stream\r\n` +
            'Content-Length: 100000\r\n\r\n' +
            'x'.repeat(5000),
        );
      });
      // Hang up once the server has started writing the file.
      const started = setInterval(() => {
        void readdir(folder).then(
          (names) => {
            if (names.length === 0) return;
            clearInterval(started);
            socket.destroy();
            resolve();
          },
          () => {},
        );
      }, 10);
    });
    const deadline = Date.now() + 5000;
    while ((await readdir(folder)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await readdir(folder)).toEqual([]);
    const client = createHttpClient({ baseUrl: server.origin, token: server.token });
    await expect(client.call('listConnectors', {})).resolves.toMatchObject({ ok: true });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
