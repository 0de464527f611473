import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletionIds, KnownStore, runSync, upsertIds } from '../helpers/known-store';
import { AppError } from '../../src/shared/errors';
import type { Clock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore, secretAccounts } from '../../src/main/core/secrets/secret-store';
import type { Connector, ConnectorStatus, SyncBatch } from '../../src/main/core/connectors/types';
import {
  createNotionConnectorFactory,
  notionWebhookActions,
  testNotionToken,
} from '../../src/main/core/connectors/notion';
import { b, FakeNotionServer, text, type FakeBlock } from '../fakes/notion-server';

/**
 * Virtual time: waits finish at once in real time but move `now` forward,
 * so rate limits and Retry-After are observable without slowing the suite.
 */
class VirtualClock implements Clock {
  t = Date.parse('2026-02-01T00:00:00Z');
  readonly waits: number[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.waits.push(ms);
    const at = this.t + ms;
    return setTimeout(() => {
      this.t = Math.max(this.t, at);
      fn();
    }, 0);
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}

/** Also keeps each page's text, loaded as a sync would. */
class TextKnownStore extends KnownStore {
  readonly texts = new Map<string, string>();
  override async receive(batch: SyncBatch): Promise<void> {
    this.apply(batch);
    for (const doc of batch.upserts) {
      const content = await doc.load(new AbortController().signal);
      if (content.kind === 'text') this.texts.set(doc.externalId, content.text);
    }
  }
}

interface Harness {
  notion: FakeNotionServer;
  clock: VirtualClock;
  secrets: MemorySecretStore;
  statuses: { status: ConnectorStatus; error?: string }[];
  connector(): Connector;
}

async function startHarness(): Promise<Harness> {
  const clock = new VirtualClock();
  const notion = await new FakeNotionServer(() => clock.now()).start();
  const secrets = new MemorySecretStore();
  await secrets.set(secretAccounts.connectorToken('notion-1'), notion.token);
  const statuses: Harness['statuses'] = [];
  const factory = createNotionConnectorFactory({ retry: { baseDelayMs: 500 } });
  return {
    notion,
    clock,
    secrets,
    statuses,
    connector: () =>
      factory({
        config: {
          id: 'notion-1',
          type: 'notion',
          name: 'Notion',
          settings: { apiBaseUrl: notion.url },
          status: 'active',
          syncCursor: null,
          lastSyncAt: null,
        },
        secrets,
        fetch: globalThis.fetch,
        logger: silentLogger,
        clock,
        setStatus: (status, error) => statuses.push({ status, error }),
      }),
  };
}

/** A workspace of top-level pages with sub-pages, plus one database with rows. */
function seedWorkspace(notion: FakeNotionServer, pageCount: number, rowCount: number): void {
  for (let i = 0; i < pageCount; i++) {
    const parentIndex = i % 10 === 0 ? undefined : i - (i % 10);
    notion.addPage({
      id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      title: `Page ${i}`,
      parent:
        parentIndex === undefined
          ? undefined
          : { type: 'page_id', page_id: `00000000-0000-0000-0000-${String(parentIndex).padStart(12, '0')}` },
      blocks: [b.paragraph(`Body of page ${i}`)],
    });
    notion.advance(7_000);
  }
  const tasks = notion.addDataSource({ id: 'ds-tasks', title: 'Tasks' });
  for (let i = 0; i < rowCount; i++) {
    notion.addPage({
      id: `11111111-0000-0000-0000-${String(i).padStart(12, '0')}`,
      title: `Task ${i}`,
      parent: { type: 'data_source_id', data_source_id: tasks.id, database_id: tasks.databaseId },
      properties: {
        Status: { id: 's', type: 'status', status: { id: 'x', name: i % 2 ? 'Done' : 'Doing', color: 'green' } },
        Notes: { id: 'n', type: 'rich_text', rich_text: [text(`note ${i}`)] },
      },
      blocks: i === 0 ? [b.paragraph('Row body')] : [],
    });
  }
}

const pageId = (i: number): string => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`;

describe('Notion connector', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.notion.stop();
  });

  it('imports a few hundred pages and database rows on the first sync, under 3 requests per second', async () => {
    seedWorkspace(h.notion, 260, 40);
    const store = new TextKnownStore();
    const { batches, result, stats } = await runSync(h.connector(), store, 'full');

    const ids = upsertIds(batches);
    expect(ids.length).toBe(300);
    expect(new Set(ids).size).toBe(300);
    expect(store.texts.get(pageId(3))).toBe('# Page 3\n\nBody of page 3\n');
    expect(store.texts.get('11111111-0000-0000-0000-000000000001')).toBe(
      '# Task 1\n\n- **Status:** Done\n- **Notes:** note 1\n',
    );
    const row = batches.flatMap((x) => x.upserts).find((d) => d.externalId === '11111111-0000-0000-0000-000000000000')!;
    expect(row.metadata.properties).toEqual({ Status: 'Doing', Notes: 'note 0' });
    expect(row.sourceUrl).toMatch(/^https:\/\/www\.notion\.so\/Task-0-/);
    expect(result.cursor).toEqual({ lastEditedTime: expect.stringMatching(/:00\.000Z$/) });
    expect(stats.apiCalls).toBe(h.notion.requests.length);

    // Average rate: beyond a burst of 3, k requests take at least (k - 3) / 3 seconds.
    const times = h.notion.requests.map((r) => r.at);
    expect(times.length).toBeGreaterThan(300);
    for (let i = 30; i < times.length; i++)
      expect(times[i]! - times[i - 30]!).toBeGreaterThanOrEqual(((30 - 2) * 1000) / 3 - 1);
    expect((times[times.length - 1]! - times[0]!) / 1000).toBeGreaterThanOrEqual((times.length - 3) / 3 - 0.01);
  });

  it('moves only what changed on an incremental sync: edits (same minute too), moves, trash, lost access', async () => {
    seedWorkspace(h.notion, 60, 10);
    const store = new TextKnownStore();
    await runSync(h.connector(), store, 'full');
    const cursorMs = Date.parse((store.cursor as { lastEditedTime: string }).lastEditedTime);
    const blockCallsBefore = h.notion.count(/\/children$/);

    // Still inside the minute of the last sync: Notion reports the same last_edited_time.
    h.notion.edit(pageId(59), (p) => (p.blocks = [b.paragraph('Edited within the same minute')]));
    h.notion.advance(120_000);
    h.notion.edit(pageId(5), (p) => (p.blocks = [b.paragraph('Edited later')]));
    h.notion.edit(pageId(6), (p) => (p.parent = { type: 'page_id', page_id: pageId(20) })); // moved
    h.notion.trash(pageId(7));
    h.notion.unshare(pageId(30)); // and its sub-pages 31..39
    h.notion.edit(pageId(8), () => {}); // touched, content unchanged

    const { batches, result } = await runSync(h.connector(), store, 'incremental');
    expect(upsertIds(batches).sort()).toEqual([pageId(5), pageId(59), pageId(6)].sort());
    expect(deletionIds(batches).sort()).toEqual([7, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39].map(pageId).sort());
    expect(store.texts.get(pageId(59))).toContain('Edited within the same minute');
    // Block trees were fetched only for pages edited at or after the cursor's minute (not all 70).
    const atOrAfterCursor = [...h.notion.pages.values()].filter(
      (p) => p.shared && !p.inTrash && Math.floor(p.editedMs / 60_000) * 60_000 >= cursorMs,
    );
    expect(atOrAfterCursor.length).toBeLessThan(30);
    expect(h.notion.count(/\/children$/) - blockCallsBefore).toBe(atOrAfterCursor.length);
    expect(result.cursor).not.toEqual(null);

    const again = await runSync(h.connector(), store, 'incremental');
    expect(again.batches).toEqual([]);
  });

  it('keeps database properties whose names are also JavaScript object keys', async () => {
    const tasks = h.notion.addDataSource({ id: 'ds-odd', title: 'Odd names' });
    h.notion.addPage({
      id: '22222222-0000-0000-0000-000000000000',
      title: 'Odd row',
      parent: { type: 'data_source_id', data_source_id: tasks.id, database_id: tasks.databaseId },
      // Computed keys: a literal `__proto__:` would set the prototype instead of naming a property.
      properties: {
        ['__proto__']: { id: 'p', type: 'rich_text', rich_text: [text('proto value')] },
        ['constructor']: { id: 'c', type: 'rich_text', rich_text: [text('constructor value')] },
      },
    });
    const store = new TextKnownStore();
    const { batches } = await runSync(h.connector(), store, 'full');

    expect(store.texts.get('22222222-0000-0000-0000-000000000000')).toBe(
      '# Odd row\n\n- **__proto__:** proto value\n- **constructor:** constructor value\n',
    );
    const row = batches.flatMap((x) => x.upserts).find((d) => d.externalId === '22222222-0000-0000-0000-000000000000')!;
    expect(Object.keys(row.metadata.properties as object)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(row.metadata.properties))).toEqual(
      JSON.parse('{"__proto__":"proto value","constructor":"constructor value"}'),
    );
  });

  it('renders a page with more than 100 blocks and nested children completely', async () => {
    const blocks: FakeBlock[] = [b.heading(1, 'Handbook'), b.callout('Read me first', '💡')];
    for (let i = 1; i <= 130; i++) blocks.push(b.paragraph(`Paragraph ${i}`));
    const deepList = b.bullet('Level 1', [
      b.bullet('Level 2', [b.bullet('Level 3')]),
      b.numbered('Step A'),
      b.numbered('Step B'),
    ]);
    const manyChildren = b.toggle(
      'Details',
      Array.from({ length: 105 }, (_, i) => b.todo(`Task ${i}`, i % 2 === 0)),
    );
    blocks.push(
      deepList,
      manyChildren,
      b.code('const x = 1;', 'typescript'),
      b.quote('Simplicity is prerequisite'),
      b.divider(),
      b.table([
        ['Name', 'Role'],
        ['Ada', 'Engineer'],
      ]),
      b.childPage('22222222-0000-0000-0000-000000000000', 'Sub page'),
    );
    h.notion.addPage({ id: 'big-page', title: 'Big', blocks });
    const store = new TextKnownStore();
    await runSync(h.connector(), store, 'full');
    const markdown = store.texts.get('big-page')!;

    expect(markdown).toContain('# Handbook');
    expect(markdown).toContain('> 💡 Read me first');
    expect(markdown).toContain('Paragraph 1\n');
    expect(markdown).toContain('Paragraph 130');
    expect(markdown).toContain('- Level 1\n  - Level 2\n    - Level 3\n  1. Step A\n  2. Step B');
    expect(markdown).toContain('- Details\n  - [x] Task 0\n  - [ ] Task 1');
    expect(markdown).toContain('  - [ ] Task 103\n  - [x] Task 104');
    expect(markdown).toContain('```typescript\nconst x = 1;\n```');
    expect(markdown).toContain('> Simplicity is prerequisite');
    expect(markdown).toContain('---');
    expect(markdown).toContain('| Name | Role |\n| --- | --- |\n| Ada | Engineer |');
    expect(markdown).toContain('[Sub page](https://www.notion.so/22222222000000000000000000000000)');
    // 2 pages of top-level children + 2 pages for the toggle's 105 children + the nested lists and table.
    expect(h.notion.count(/\/blocks\/big-page\/children$/)).toBe(2);
    expect(h.notion.count(new RegExp(`/blocks/${manyChildren.id}/children$`))).toBe(2);
  });

  it('survives a 429 storm, honouring Retry-After, and yields every page once', async () => {
    seedWorkspace(h.notion, 40, 0);
    h.notion.fail({ status: 429, retryAfterSeconds: 2 }, 6);
    h.notion.fail({ status: 503 }, 2);
    const { batches } = await runSync(h.connector(), new TextKnownStore(), 'full');
    const ids = upsertIds(batches);
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
    const limited = h.notion.requests.flatMap((r, i) => (r.status === 429 ? [i] : []));
    expect(limited).toHaveLength(6);
    for (const i of limited) {
      // The retry of a rate-limited request waits at least the Retry-After.
      expect(h.notion.requests[i + 1]!.at - h.notion.requests[i]!.at).toBeGreaterThanOrEqual(2000);
    }
    expect(h.clock.waits.filter((w) => w === 2000)).toHaveLength(6);
  });

  it('marks the connector disconnected when Notion rejects the token', async () => {
    seedWorkspace(h.notion, 3, 0);
    h.notion.token = 'ntn_rotated';
    const error = await runSync(h.connector(), new TextKnownStore(), 'full').catch((e: unknown) => e);
    expect(AppError.is(error, 'CONNECTOR_AUTH')).toBe(true);
    expect((error as AppError).message).toMatch(/Notion rejected the integration token/);
    expect(h.statuses.map((s) => s.status)).toEqual(['disconnected']);
    expect((error as AppError).message).not.toContain('ntn_');
  });

  it('re-reads only the pages named by a webhook, deleting trashed ones', async () => {
    seedWorkspace(h.notion, 10, 0);
    const store = new TextKnownStore();
    await runSync(h.connector(), store, 'full');
    h.notion.advance(60_000);
    h.notion.edit(pageId(1), (p) => (p.blocks = [b.paragraph('New text')]));
    h.notion.trash(pageId(2));
    const before = h.notion.requests.length;
    const { batches, result } = await runSync(h.connector(), store, 'incremental', {
      onlyExternalIds: [pageId(1), pageId(2), pageId(3)],
    });
    expect(upsertIds(batches)).toEqual([pageId(1)]);
    expect(deletionIds(batches)).toEqual([pageId(2)]);
    expect(result.cursor).toEqual(store.cursor);
    expect(h.notion.requests.slice(before).some((r) => r.path === '/v1/search')).toBe(false);
  });

  it('maps webhook events to actions', async () => {
    const event = (type: string, id = 'page-1') => ({
      eventType: type,
      eventSource: 'notion',
      eventId: 'e1',
      headers: {},
      payload: { type, entity: { id, type: 'page' } },
    });
    expect(notionWebhookActions(event('page.content_updated'))).toEqual([{ kind: 'upsert', externalIds: ['page-1'] }]);
    expect(notionWebhookActions(event('page.undeleted'))).toEqual([{ kind: 'upsert', externalIds: ['page-1'] }]);
    expect(notionWebhookActions(event('page.deleted'))).toEqual([{ kind: 'delete', externalIds: ['page-1'] }]);
    expect(notionWebhookActions(event('data_source.schema_updated'))).toEqual([{ kind: 'sync', mode: 'incremental' }]);
    expect(notionWebhookActions(event('database.content_updated'))).toEqual([{ kind: 'sync', mode: 'incremental' }]);
    expect(notionWebhookActions(event('comment.created'))[0]!.kind).toBe('ignore');
    expect(await h.connector().handleWebhook(event('page.created', 'p2'))).toEqual([
      { kind: 'upsert', externalIds: ['p2'] },
    ]);
  });

  it('tests a pasted token', async () => {
    await expect(testNotionToken(h.notion.token, { apiBaseUrl: h.notion.url })).resolves.toEqual({
      botName: 'Trove (test)',
    });
    await expect(testNotionToken('ntn_wrong', { apiBaseUrl: h.notion.url })).rejects.toMatchObject({
      code: 'CONNECTOR_AUTH',
    });
    expect(h.notion.requests.every((r) => r.path === '/v1/users/me')).toBe(true);
  });
});
