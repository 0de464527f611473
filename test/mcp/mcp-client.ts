import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/trove.js', import.meta.url));

export interface Passage {
  citation: string;
  chunkIndex: number;
  page: number | null;
  headingPath: string[];
  snippet: string;
}
export interface Result {
  documentId: string;
  uri: string;
  title: string;
  source: { id: string; name: string; type: string };
  path: string | null;
  citation: string;
  passages: Passage[];
  copies: Array<{ documentId: string; title: string; path: string | null }>;
}

/** The structured answer of a tool call that succeeded. */
export async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as T;
}

/** The error text of a tool call that was refused. */
export async function refusal(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  return (result.content[0] as { text: string }).text;
}

/**
 * `node bin/trove.js --data-dir <dataDir> mcp` as a child process, connected
 * to the SDK's client over stdio (initialize done). The environment is the
 * test's minus TROVE_* variables; `stderr()` is what the server logged.
 */
export async function startMcpClient(dataDir: string): Promise<{ client: Client; stderr: () => string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith('TROVE_') && e[1] !== undefined),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--data-dir', dataDir, 'mcp'],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'trove-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}
