import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBenchStore, type BenchStore } from '../../bench/lib/store';
import { createLogger } from '../../src/main/core/logger';
import { openLibrary, type Library } from '../../src/main/core/read-only/library';
import { createMcpServer } from '../../src/main/mcp/server';

/** resources/list over a library larger than one page, in process (the stdio test covers the wire). */
describe('MCP document resources, paged', () => {
  let store: BenchStore;
  let library: Library;
  let client: Client;

  beforeAll(async () => {
    store = createBenchStore('trove-mcp-paging-');
    store.addDocuments(
      Array.from({ length: 250 }, (_, i) => ({
        id: `doc-${String(i).padStart(3, '0')}`,
        title: `Note ${i}`,
        chunks: [`text ${i}`],
      })),
    );
    store.db.close();
    const logger = createLogger({ level: 'warn' });
    library = openLibrary({ dataDir: store.dir, logger });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer(library, { version: 'test', logger }).connect(serverSide);
    client = new Client({ name: 'paging-test', version: '1.0.0' });
    await client.connect(clientSide);
  });

  afterAll(async () => {
    await client?.close();
    await library?.close();
    store?.close();
  });

  it('lists every document once, 100 at a time, then no cursor', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listResources(cursor ? { cursor } : {});
      sizes.push(page.resources.length);
      seen.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe('trove://document/doc-000');
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(client.listResources({ cursor: '' })).rejects.toThrow(/Invalid cursor/);
  });

  it('cannot write: the library is opened read-only', () => {
    expect(() => library.db.prepare(`DELETE FROM imported_documents`).run()).toThrow(/readonly/i);
  });
});
