/**
 * MCP keyword search round trip (npm run bench:mcp): a 10,000-chunk library
 * in a temp data folder, `trove mcp` started as a child process and driven
 * by the SDK's client over stdio, as an assistant runs it. Times the start
 * (spawn to initialized) and 100 `search` tool calls (mode keyword, a
 * different query each) after 10 untimed ones, from call to parsed answer.
 *
 *   npm run bench:mcp                       options: --calls=100 --chunks=10000
 *
 * Target (issue 18): MCP search p50 < 50 ms.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { benchArgs } from './lib/args';
import { buildBenchLibrary, formatTimings } from './lib/cli-library';

const args = benchArgs();
const CALLS = Number.parseInt(args.get('calls') ?? '100', 10);
const WARMUP = 10;
const CHUNKS = Number.parseInt(args.get('chunks') ?? '10000', 10);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const built = spawnSync(process.execPath, [`${ROOT}scripts/build-cli.js`], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build-cli failed: ${built.stderr}`);
console.log(built.stdout.trim());
const library = buildBenchLibrary(CHUNKS, WARMUP + CALLS);
const client = new Client({ name: 'trove-bench', version: '1.0.0' });
try {
  const started = performance.now();
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [`${ROOT}bin/trove.js`, '--data-dir', library.dataDir, 'mcp'],
      stderr: 'inherit',
    }),
  );
  const startMs = performance.now() - started;

  const search = async (query: string): Promise<number> => {
    const t = performance.now();
    const result = (await client.callTool({ name: 'search', arguments: { query, mode: 'keyword' } })) as CallToolResult;
    const ms = performance.now() - t;
    const found = (result.structuredContent as { results?: unknown[] } | undefined)?.results;
    if (result.isError || !found?.length)
      throw new Error(`search "${query}" failed: ${JSON.stringify(result.content)}`);
    return ms;
  };
  for (const query of library.queries.slice(0, WARMUP)) await search(query);
  const times: number[] = [];
  for (const query of library.queries.slice(WARMUP)) times.push(await search(query));

  console.log(`node ${process.version}, trove mcp over stdio:`);
  console.log(`  start (spawn to initialized)              ${startMs.toFixed(1).padStart(7)} ms`);
  console.log(`  search, keyword, round trip               ${formatTimings(times)}`);
} finally {
  await client.close();
  library.dispose();
}
