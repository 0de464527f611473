import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/core/logger';
import { secretAccounts } from '../../src/main/core/secrets/secret-store';
import type { StoredDocument } from '../../src/main/core/store/documents.repo';
import type { SyncLog } from '../../src/main/core/store/sync-logs.repo';
import { b, FakeNotionServer } from '../fakes/notion-server';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { CHILD_ID, HANDBOOK_ID, hurriedClock, seedWorkspace } from './fixtures/providers-notion-workspace';

const NOTES = 240;
const ROWS = 12;
const STORM_429 = 40;

/** Notion through the whole core: connector, sync handler, processing, search, sync history. */
describe('Notion through the core', () => {
  let t: TestCore;
  let notion: FakeNotionServer;
  let pageIds: string[];
  const waits: number[] = [];
  const connectorId = 'notion-work';

  const doc = (externalId: string): StoredDocument =>
    t.core.repos.documents.getByExternalId(connectorId, externalId) ?? expect.unreachable(`no document ${externalId}`);
  const latestLog = (): SyncLog =>
    t.core.repos.syncLogs.list({ connectorId, limit: 1 })[0] ?? expect.unreachable('no sync log');
  const titlesFor = async (query: string): Promise<string[]> =>
    (await t.core.search.search({ query, mode: 'keyword', limit: 20 })).groups.map((g) => g.document.title);
  const processedDocumentIds = (): string[] =>
    t.core.queue
      .list({ type: 'process_imported_doc', limit: 5000 })
      .map((job) => (job.payload as { documentId: string }).documentId);
  const rowsPerPage = (): Array<{ external_id: string; n: number }> =>
    t.core.db
      .prepare(`SELECT external_id, COUNT(*) AS n FROM imported_documents WHERE connector_id = ? GROUP BY external_id`)
      .all(connectorId) as Array<{ external_id: string; n: number }>;

  beforeAll(async () => {
    notion = await new FakeNotionServer().start();
    ({ pageIds } = seedWorkspace(notion, NOTES, ROWS));
    t = await startTestCore({ core: { clock: hurriedClock(waits), logger: silentLogger } });
    await t.core.secrets.set(secretAccounts.connectorToken(connectorId), notion.token);
    // One page is edited five minutes after the rest: the cursor will hold that later minute.
    notion.advance(5 * 60_000);
    notion.edit(pageIds[7]!, (page) => page.blocks.push(b.paragraph('A later addition.')));
    // The first sync runs through a storm: every other request answers 429 with Retry-After, some 503.
    notion.fail({ status: 429, retryAfterSeconds: 2 }, STORM_429);
    notion.fail({ status: 503 }, 3);
    await t.core.connectors.add({
      id: connectorId,
      type: 'notion',
      name: 'Team Notion',
      settings: { apiBaseUrl: notion.url },
    });
    await t.core.idle();
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
    await notion?.stop();
  });

  describe('the first sync, through a rate-limit storm', () => {
    it('stores every page exactly once and indexes it', () => {
      const rows = rowsPerPage();
      expect(rows.map((r) => r.external_id).sort()).toEqual([...pageIds].sort());
      expect(rows.every((r) => r.n === 1)).toBe(true);
      for (const id of pageIds) expect(doc(id).syncStatus, `${id} ${doc(id).syncError}`).toBe('completed');
    });

    it('waited as Notion asked and was throttled, instead of failing', () => {
      expect(notion.requests.filter((r) => r.status === 429)).toHaveLength(STORM_429);
      expect(notion.requests.filter((r) => r.status === 503)).toHaveLength(3);
      expect(waits.filter((ms) => ms === 2000).length).toBeGreaterThanOrEqual(STORM_429);
      expect(latestLog()).toMatchObject({
        status: 'success',
        fullSync: true,
        documentsSynced: pageIds.length,
        documentsFailed: 0,
      });
      // Every attempt is an API call, refused ones included; the connection tests (users/me) are not part of the run.
      expect(latestLog().apiCallsMade).toBe(notion.requests.filter((r) => r.path !== '/v1/users/me').length);
    });

    it('finds text after the 100th block and in nested children, under its heading path', async () => {
      for (const [word, path] of [
        ['kwrollbackzq', ['Engineering Handbook', 'Deployment', 'Rollback']],
        ['kwnestedchildzq', ['Engineering Handbook', 'Deployment', 'Rollback']],
      ] as const) {
        const result = await t.core.search.search({ query: word, mode: 'keyword' });
        expect(
          result.groups.map((g) => g.document.title),
          word,
        ).toEqual(['Engineering Handbook']);
        expect(result.groups[0]!.chunks[0]!.headingPath, word).toEqual(path);
      }
      const handbook = t.core.db
        .prepare(`SELECT content FROM imported_documents WHERE id = ?`)
        .get(doc(HANDBOOK_ID).id) as { content: string };
      expect(handbook.content).toContain('Term 49: defined in the wiki.');
      expect(handbook.content).toContain('```bash\nnpm run deploy -- --env production\n```');
      expect(handbook.content).toMatch(/\[Team rituals\]\(https:\/\/www\.notion\.so\//);
    });

    it('indexes child pages and database rows with their properties', async () => {
      expect(await titlesFor('kwritualzq')).toEqual(['Team rituals']);
      expect(await titlesFor('kwproject3zq')).toEqual(['Project 3']);
      expect(doc(pageIds.at(-1)!).metadata.properties).toMatchObject({ Status: 'Active' });
    });
  });

  describe('an incremental sync after a same-minute edit and an archived page', () => {
    let processedBefore: number;
    let requestsBefore: number;
    let untouchedChunks: number[];
    const edited = (): string => pageIds[5]!;
    const archived = (): string => pageIds[6]!;

    beforeAll(async () => {
      processedBefore = processedDocumentIds().length;
      requestsBefore = notion.requests.length;
      untouchedChunks = t.core.repos.chunks.chunkIdsForDocument(doc(HANDBOOK_ID).id);
      // No model time passes: last_edited_time stays on the minute the cursor already holds.
      notion.edit(edited(), (page) => {
        page.blocks = [b.heading(2, 'Summary'), b.paragraph('Rewritten the same minute: kwsameminutezq.')];
      });
      notion.trash(archived());
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
    }, 30_000);

    it('picks up the edit made within the minute of the last sync', async () => {
      expect(await titlesFor('kwsameminutezq')).toEqual([doc(edited()).title]);
      expect(await titlesFor('kwnote3zq')).toEqual([]); // pageIds[5] is "Note 3"
    });

    it('removes the archived page from the index and from search', async () => {
      expect(doc(archived()).syncStatus).toBe('deleted');
      expect(t.core.repos.chunks.chunkIdsForDocument(doc(archived()).id)).toEqual([]);
      expect(await titlesFor('kwnote4zq')).toEqual([]);
    });

    it('reads block trees only of pages edited in or after the cursor minute', () => {
      const fetched = notion.requests
        .slice(requestsBefore)
        .map((r) => /^\/v1\/blocks\/([^/]+)\/children$/.exec(r.path)?.[1])
        .filter((id) => id !== undefined);
      // The same-minute edit, and the page edited in that minute before the last sync (unchanged, dropped by hash).
      expect(fetched.sort()).toEqual([edited(), pageIds[7]!].sort());
    });

    it('processes only the edited page again and logs just these changes', () => {
      const all = processedDocumentIds();
      expect(all.slice(0, all.length - processedBefore)).toEqual([doc(edited()).id]);
      expect(t.core.repos.chunks.chunkIdsForDocument(doc(HANDBOOK_ID).id)).toEqual(untouchedChunks);
      expect(latestLog()).toMatchObject({
        status: 'success',
        fullSync: false,
        documentsSynced: 0,
        documentsUpdated: 1,
        documentsDeleted: 1,
        documentsFailed: 0,
      });
      expect(rowsPerPage().every((r) => r.n === 1)).toBe(true);
      expect(doc(CHILD_ID).syncStatus).toBe('completed');
    });
  });

  describe('a revoked integration token', () => {
    beforeAll(async () => {
      notion.token = 'ntn_rotated_token_9876543210';
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
    }, 30_000);

    it('disconnects the connector, fails the run and says so in the feed', () => {
      const connector = t.core.repos.connectors.get(connectorId)!;
      expect(connector.status).toBe('disconnected');
      expect(connector.lastError).toMatch(/Notion rejected the integration token\. Paste a new/);
      expect(connector.lastError).not.toContain('ntn_');
      expect(latestLog()).toMatchObject({ status: 'failed', fullSync: false });
      const [job] = t.core.queue.list({ type: 'sync_connector', limit: 1 });
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      const failed = t.core.repos.events.list({ limit: 20 }).find((e) => e.type === 'sync.failed');
      expect(failed).toMatchObject({ level: 'error', connectorId, title: 'Team Notion could not sync' });
      expect(doc(HANDBOOK_ID).syncStatus).toBe('completed');
    });
  });
});
