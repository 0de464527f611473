import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTRACTION_VERSION } from '../../src/main/core/ingest/extraction-version';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../src/shared/errors';
import { isLibraryBusy } from '../../src/shared/storage-errors';
import { systemClock } from '../../src/main/core/clock';
import type { Connector, SourceDocument, SyncBatch, SyncOptions } from '../../src/main/core/connectors/types';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { createSyncConnectorHandler, PROCESS_ENQUEUE_BATCH } from '../../src/main/core/handlers/sync-connector.handler';
import { isNonRetryable } from '../../src/main/core/queue';
import { runWasStopped } from '../../src/main/core/api/views';
import { ConnectorsRepo, type StoredConnector } from '../../src/main/core/store/connectors.repo';
import { DocumentsRepo } from '../../src/main/core/store/documents.repo';
import { EventsRepo } from '../../src/main/core/store/events.repo';
import { SyncLogsRepo } from '../../src/main/core/store/sync-logs.repo';
import { jobContext } from '../helpers/job-context';

/** A connector whose listing is scripted by the test: each sync yields `batches`, then the cursor. */
class ScriptedConnector implements Connector {
  readonly type = 'notion' as const;
  readonly supportsWebhooks = false;
  batches: SyncBatch[] = [];
  cursor: unknown = 'cursor-1';
  connectionError: Error | null = null;
  seen: SyncOptions[] = [];
  async testConnection(): Promise<void> {
    if (this.connectionError) throw this.connectionError;
  }
  async *sync(options: SyncOptions): AsyncGenerator<SyncBatch, { cursor: unknown }, void> {
    this.seen.push(options);
    for (const batch of this.batches) yield batch;
    return { cursor: this.cursor };
  }
  async handleWebhook(): Promise<never[]> {
    return [];
  }
}

function page(id: string, text: string, hash = `hash-${id}`): SourceDocument {
  return {
    externalId: id,
    title: `Page ${id}`,
    mimeType: 'text/plain',
    contentHash: hash,
    metadata: {},
    load: async () => ({ kind: 'text', text, mimeType: 'text/plain' }),
  };
}

describe('sync_connector handler', () => {
  let db: Database;
  let connectors: ConnectorsRepo;
  let documents: DocumentsRepo;
  let syncLogs: SyncLogsRepo;
  let events: EventsRepo;
  let connector: ScriptedConnector;
  let config: StoredConnector;
  let queued: string[][];
  let purges: number;

  const handler = (overrides: Partial<Parameters<typeof createSyncConnectorHandler>[0]> = {}) =>
    createSyncConnectorHandler({
      db,
      connectors,
      documents,
      syncLogs,
      events,
      buildConnector: () => connector,
      // As services/extraction.ts stores text: with the version of the parsers that read it.
      extractText: async (content) => ({
        text: content.kind === 'text' ? content.text : '',
        metadata: { parse: { version: EXTRACTION_VERSION, format: 'plain' } },
      }),
      enqueueProcessing: (ids) => void queued.push([...ids]),
      purgeDeletedVectors: () => void purges++,
      ...overrides,
    });

  beforeEach(() => {
    db = openDatabase(':memory:');
    connectors = new ConnectorsRepo(db, systemClock);
    documents = new DocumentsRepo(db, systemClock);
    syncLogs = new SyncLogsRepo(db, systemClock);
    events = new EventsRepo(db, systemClock);
    connector = new ScriptedConnector();
    config = connectors.create({ type: 'notion', name: 'Team notes', settings: {} });
    queued = [];
    purges = 0;
  });
  afterEach(() => db.close());

  it('stores what the connector lists, queues indexing in batches, saves the cursor and opens a run', async () => {
    const count = PROCESS_ENQUEUE_BATCH * 2 + 3;
    connector.batches = [
      { upserts: Array.from({ length: count }, (_, i) => page(`p${i}`, `text ${i}`)), deletions: [] },
    ];

    const summary = await handler()({ connectorId: config.id, mode: 'incremental', syncType: 'manual' }, jobContext());

    expect(summary.status).toBe('success');
    expect(summary.documentsSynced).toBe(count);
    expect(queued.map((ids) => ids.length)).toEqual([PROCESS_ENQUEUE_BATCH, PROCESS_ENQUEUE_BATCH, 3]);
    expect(documents.getByExternalId(config.id, 'p7')).toMatchObject({ title: 'Page p7', content: 'text 7' });
    expect(connectors.get(config.id)?.syncCursor).toBe('cursor-1');
    // The run stays open until its documents are indexed (the run tracker closes it).
    expect(syncLogs.get(summary.logId!)).toMatchObject({ status: 'running', phase: 'indexing' });
  });

  it('hands the stored documents to the next sync as known, and reads again only what changed', async () => {
    connector.batches = [{ upserts: [page('a', 'one'), page('b', 'two')], deletions: [] }];
    await handler()({ connectorId: config.id, mode: 'incremental', syncType: 'manual' }, jobContext());
    // Both were indexed (what process_imported_doc records); an unindexed one would be queued again.
    for (const id of queued.flat()) documents.markProcessed(id, documents.get(id)!.contentHash!, new Uint32Array(0));
    queued = [];

    connector.batches = [{ upserts: [page('a', 'one'), page('b', 'two, edited', 'hash-b2')], deletions: [] }];
    await handler()({ connectorId: config.id, mode: 'incremental', syncType: 'manual' }, jobContext({ id: 'job-2' }));

    const known = connector.seen[1]!.known;
    expect([...known.ids()].sort()).toEqual(['a', 'b']);
    expect(known.get('a')?.contentHash).toBe('hash-a');
    expect(connector.seen[1]!.cursor).toBe('cursor-1');
    expect(queued.flat()).toEqual([documents.getByExternalId(config.id, 'b')!.id]);
    expect(documents.getByExternalId(config.id, 'b')?.content).toBe('two, edited');
  });

  it('removes documents the connector says are gone', async () => {
    connector.batches = [{ upserts: [page('a', 'one'), page('b', 'two')], deletions: [] }];
    await handler()({ connectorId: config.id, mode: 'incremental', syncType: 'manual' }, jobContext());

    connector.batches = [{ upserts: [], deletions: ['a'] }];
    const summary = await handler()(
      { connectorId: config.id, mode: 'full', syncType: 'manual' },
      jobContext({ id: 'job-2' }),
    );

    expect(summary.documentsDeleted).toBe(1);
    expect(documents.getByExternalId(config.id, 'a')?.syncStatus).toBe('deleted');
    expect(documents.getByExternalId(config.id, 'b')?.syncStatus).not.toBe('deleted');
    expect(purges).toBeGreaterThan(0);
  });

  it('skips a paused connector without opening a run', async () => {
    connectors.setStatus(config.id, 'paused', null);
    connector.batches = [{ upserts: [page('a', 'one')], deletions: [] }];

    const summary = await handler()({ connectorId: config.id, mode: 'incremental', syncType: 'manual' }, jobContext());

    expect(summary).toMatchObject({ status: 'skipped', logId: null });
    expect(connector.seen).toHaveLength(0);
    expect(syncLogs.countForConnector(config.id)).toBe(0);
  });

  it('records why a sync was stopped from outside, not the error of the step it cut short', async () => {
    connector.batches = [{ upserts: [page('a', 'one')], deletions: [] }];
    const controller = new AbortController();
    const closing = new AppError(
      'CANCELLED',
      'Trove was closed before this finished; it runs again at the next start.',
    );
    // Trove closes while a document is being read: the parser gives up with its own words.
    const extractText = async (): Promise<never> => {
      controller.abort(closing);
      throw new AppError('CANCELLED', 'Parsing was cancelled.');
    };

    const failure = await handler({ extractText })(
      { connectorId: config.id, mode: 'incremental', syncType: 'manual' },
      { ...jobContext(), signal: controller.signal },
    ).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'CANCELLED' });
    const [log] = syncLogs.list({ connectorId: config.id });
    expect(log).toMatchObject({ status: 'failed', errorMessage: closing.message });
    // Shown as stopped, not failed.
    expect(runWasStopped(log!)).toBe(true);
    // Not the connector's fault: no notice, and it stays active to run again.
    expect(events.list({ limit: 10 })).toEqual([]);
    expect(connectors.get(config.id)).toMatchObject({ status: 'active' });
  });

  it('marks the connector disconnected when access is lost, tells the person, and does not retry', async () => {
    connector.connectionError = new AppError('CONNECTOR_AUTH', 'The Notion token was revoked.');

    const failure = await handler()(
      { connectorId: config.id, mode: 'incremental', syncType: 'manual' },
      jobContext(),
    ).catch((error: unknown) => error);

    expect(isNonRetryable(failure)).toBe(true);
    expect(connectors.get(config.id)).toMatchObject({ status: 'disconnected' });
    expect(events.list({ limit: 10 }).map((n) => n.title)).toContain('Team notes could not sync');
    const [log] = syncLogs.list({ connectorId: config.id });
    expect(log).toMatchObject({ status: 'failed' });
    // A failure of its own: shown as failed.
    expect(runWasStopped(log!)).toBe(false);
  });

  it('closes a sync left open by a Trove that stopped as stopped, saying it runs again', () => {
    const logId = syncLogs.start({ connectorId: config.id, jobId: 'job-1', syncType: 'manual', fullSync: false });
    expect(syncLogs.closeOrphans(config.id)).toBe(1);
    const log = syncLogs.get(logId)!;
    expect(log).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/stopped before .* runs again/),
    });
    expect(runWasStopped(log)).toBe(true);
  });

  it('at start-up leaves alone a sync another process runs, or its job will carry on', () => {
    const job = (id: string, status: string) =>
      db
        .prepare(
          `INSERT INTO jobs (id, type, payload, status, run_at, locked_by, created_at, updated_at)
           VALUES (?, 'sync_connector', '{}', ?, 0, 'other-host:4242:w', 0, 0)`,
        )
        .run(id, status);
    // The CLI beside the app is listing right now; another sync was handed back (a busy library) and
    // runs again; a third's process died on its last attempt, and its job ended failed.
    job('job-live', 'running');
    job('job-again', 'queued');
    job('job-dead', 'failed');
    const start = (jobId: string) =>
      syncLogs.start({ connectorId: config.id, jobId, syncType: 'manual', fullSync: false });
    const live = start('job-live');
    const again = start('job-again');
    const dead = start('job-dead');

    expect(syncLogs.closeOrphans()).toBe(1);
    expect(syncLogs.get(live)).toMatchObject({ phase: 'syncing', status: 'running', errorMessage: null });
    expect(syncLogs.get(again)).toMatchObject({ phase: 'syncing', status: 'running' });
    expect(syncLogs.get(dead)).toMatchObject({ phase: 'indexing', status: 'failed' });
    // The job handed back carries its run on; the connector's other syncing runs are let go.
    expect(syncLogs.openSyncOfJob(config.id, 'job-again')).toBe(again);
    expect(syncLogs.closeOrphans(config.id, again)).toBe(1);
    expect(syncLogs.get(again)?.phase).toBe('syncing');
  });

  it('carries on the run an attempt handed back for a busy library, adding to its counts', async () => {
    const first = { upserts: [page('a', 'Alpha.'), page('b', 'Beta.')], deletions: [] };
    const second = { upserts: [page('c', 'Gamma.')], deletions: [] };
    let attempt = 0;
    // The first attempt stores its first batch, then meets another process's long write.
    connector.sync = async function* () {
      yield first;
      if (++attempt === 1) throw new BetterSqlite3.SqliteError('database is locked', 'SQLITE_BUSY');
      yield second;
      return { cursor: 'cursor-2' };
    };
    const run = () =>
      handler()({ connectorId: config.id, mode: 'incremental', syncType: 'manual' }, jobContext({ id: 'job-7' }));

    const failure = await run().catch((error: unknown) => error);
    expect(isLibraryBusy(failure)).toBe(true);
    // Not failed, not a notification: the run waits for the job's next attempt.
    const [open] = syncLogs.list({ connectorId: config.id });
    expect(open).toMatchObject({ phase: 'syncing', status: 'running', documentsSynced: 2 });
    expect(connectors.get(config.id)?.status).toBe('active');
    expect(events.list({ limit: 10 })).toEqual([]);

    const summary = await run();
    const runs = syncLogs.list({ connectorId: config.id });
    expect(runs).toHaveLength(1);
    expect(summary.logId).toBe(open!.id);
    expect(runs[0]).toMatchObject({ phase: 'indexing', status: 'running', documentsSynced: 3, documentsToIndex: 3 });
  });
});
