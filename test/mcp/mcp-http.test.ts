import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrove, startTrove, type TroveProcess } from '../cli/run-trove';
import { call, type Result } from './mcp-client';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';

/** A raw request to the server, with any Host and Authorization (fetch cannot set Host). */
function raw(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
  });
}

/** `trove mcp --http`: the same tools over streamable HTTP, on loopback, behind a token. */
describe('trove mcp --http', () => {
  let root: string;
  let server: TroveProcess;
  let url: string;
  let client: Client;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-mcp-http-'));
    const dataDir = join(root, 'data');
    const folder = join(root, 'notes');
    mkdirSync(folder);
    writeFileSync(join(folder, 'kettle.md'), '# Kettle\n\nDescale the zqkettle with vinegar.\n');
    const added = await runTrove(dataDir, ['add-folder', folder]);
    expect(added.code, added.stderr).toBe(0);
    server = startTrove(dataDir, ['mcp', '--http'], { TROVE_MCP_TOKEN: TOKEN });
    url = (await server.waitForOutput(/Trove MCP server at (\S+)/))[1]!;
    client = new Client({ name: 'trove-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    server?.child.kill('SIGTERM');
    await server?.done;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and does not print a token that came from the environment', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(server.output).not.toContain(TOKEN);
  });

  it('answers tools with the token', async () => {
    const found = await call<{ results: Result[] }>(client, 'search', { query: 'zqkettle', mode: 'keyword' });
    expect(found.results.map((r) => r.title)).toEqual(['kettle.md']);
  });

  it('refuses requests without the token, with a wrong one, or for another host', async () => {
    const host = new URL(url).host;
    expect(await raw(url, {})).toBe(401);
    expect(await raw(url, { authorization: 'Bearer wrong-token-0123456789abcdefghij' })).toBe(401);
    expect(await raw(url, { authorization: `Bearer ${TOKEN}`, host: 'evil.example' })).toBe(403);
    expect(await raw(url, { authorization: `Bearer ${TOKEN}`, host, origin: 'http://evil.example' })).toBe(403);
  });
});
