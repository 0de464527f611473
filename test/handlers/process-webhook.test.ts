import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { systemClock } from '../../src/main/core/clock';
import type { Connector, WebhookAction, WebhookEvent } from '../../src/main/core/connectors/types';
import { openDatabase } from '../../src/main/core/db/open';
import {
  createProcessWebhookHandler,
  type ProcessWebhookDeps,
  type WebhookSyncRequest,
} from '../../src/main/core/handlers/process-webhook.handler';
import { processWebhookPayloadSchema } from '../../src/main/core/jobs';
import { syncJobKey } from '../../src/main/core/services/sync-requests';
import type { HandlerContext } from '../../src/main/core/handlers/ports';
import { jobContext } from '../helpers/job-context';
import { webhookSyncQueue } from '../helpers/webhook-sync-queue';
import { ConnectorsRepo, type StoredConnector } from '../../src/main/core/store/connectors.repo';
import type { NotificationInput } from '../../src/main/core/store/events.repo';
import { WebhookEventsRepo } from '../../src/main/core/store/webhook-events.repo';

/** A connector whose webhook interpretation is scripted by the test. */
class ScriptedConnector implements Connector {
  readonly type = 'notion' as const;
  seen: WebhookEvent[] = [];
  constructor(
    readonly supportsWebhooks: boolean,
    private readonly interpret: (event: WebhookEvent) => Promise<WebhookAction[]>,
  ) {}
  async testConnection(): Promise<void> {}
  // eslint-disable-next-line require-yield
  async *sync(): AsyncGenerator<never, { cursor: unknown }, void> {
    return { cursor: null };
  }
  handleWebhook(event: WebhookEvent): Promise<WebhookAction[]> {
    this.seen.push(event);
    return this.interpret(event);
  }
}

describe('process_webhook handler', () => {
  let db: Database;
  let connectors: ConnectorsRepo;
  let webhookEvents: WebhookEventsRepo;
  let syncs: Array<{ connectorId: string; request: WebhookSyncRequest }>;
  let deletions: Array<{ connectorId: string; externalIds: string[] }>;
  let notifications: NotificationInput[];
  let connector: ScriptedConnector;
  let connectorId: string;

  const ctx = (attempt = 1, maxAttempts = 3): HandlerContext =>
    jobContext({ id: `job-${attempt}`, attempt, maxAttempts });

  function deps(overrides: Partial<ProcessWebhookDeps> = {}): ProcessWebhookDeps {
    return {
      webhookEvents,
      getConnector: (id) => connectors.get(id),
      buildConnector: (_config: StoredConnector) => connector,
      enqueueSync: (id, request) => syncs.push({ connectorId: id, request }),
      deleteDocuments: (id, externalIds) => {
        deletions.push({ connectorId: id, externalIds });
        return externalIds.length;
      },
      recordEvent: (input) => notifications.push(input),
      atomically: (fn) => db.transaction(fn)(),
      ...overrides,
    };
  }

  function storeEvent(eventId: string, payload: unknown = { entity: { id: 'page-1' } }, source = 'notion'): string {
    const id = webhookEvents.insertIfNew({
      connectorId,
      eventType: source === 'notion' ? 'page.content_updated' : 'drive.change',
      eventSource: source,
      eventId,
      relaySequence: 1,
      payload,
      headers: {},
      receivedAt: Date.now(),
    });
    if (!id) throw new Error('duplicate');
    return id;
  }

  beforeEach(() => {
    db = openDatabase(':memory:');
    connectors = new ConnectorsRepo(db, systemClock);
    webhookEvents = new WebhookEventsRepo(db, systemClock);
    connectorId = connectors.create({ type: 'notion', name: 'Wiki', settings: {} }).id;
    syncs = [];
    deletions = [];
    notifications = [];
    connector = new ScriptedConnector(true, async (event) => [
      { kind: 'upsert', externalIds: [(event.payload as { entity: { id: string } }).entity.id] },
    ]);
  });
  afterEach(() => db.close());

  it('validates its payload', () => {
    expect(processWebhookPayloadSchema.safeParse({ webhookEventId: 'a', connectorId: 'b' }).success).toBe(true);
    expect(processWebhookPayloadSchema.safeParse({ webhookEventId: 'a' }).success).toBe(false);
  });

  it('turns an edited page into a targeted sync and marks the event processed', async () => {
    const id = storeEvent('evt-1', { entity: { id: 'page-7' } });
    await createProcessWebhookHandler(deps())({ webhookEventId: id, connectorId }, ctx());
    expect(connector.seen[0]).toMatchObject({
      eventType: 'page.content_updated',
      eventSource: 'notion',
      eventId: 'evt-1',
    });
    expect(syncs).toEqual([
      {
        connectorId,
        request: {
          mode: 'incremental',
          onlyExternalIds: ['page-7'],
          reason: 'webhook',
          key: syncJobKey(connectorId, 'incremental', ['page-7']),
        },
      },
    ]);
    const row = webhookEvents.get(id)!;
    expect(row).toMatchObject({ processingState: 'processed', processed: true, processingError: null, retryCount: 0 });
    expect(row.processedAt).toBeGreaterThan(0);
  });

  it('processes a replayed job once', async () => {
    const id = storeEvent('evt-1');
    const handler = createProcessWebhookHandler(deps());
    await handler({ webhookEventId: id, connectorId }, ctx());
    await handler({ webhookEventId: id, connectorId }, ctx());
    expect(syncs).toHaveLength(1);
    expect(connector.seen).toHaveLength(1);
  });

  it('removes deleted documents and tells the person', async () => {
    connector = new ScriptedConnector(true, async () => [
      { kind: 'delete', externalIds: ['page-1', 'page-2', 'page-1'] },
    ]);
    const id = storeEvent('evt-del');
    await createProcessWebhookHandler(deps())({ webhookEventId: id, connectorId }, ctx());
    expect(deletions).toEqual([{ connectorId, externalIds: ['page-1', 'page-2'] }]);
    expect(syncs).toEqual([]);
    expect(notifications).toEqual([
      expect.objectContaining({
        type: 'webhook.documents_deleted',
        connectorId,
        title: '2 documents removed from Wiki',
      }),
    ]);
    expect(webhookEvents.get(id)!.processingState).toBe('processed');
  });

  it('runs a full sync when permissions changed', async () => {
    connector = new ScriptedConnector(true, async () => [{ kind: 'sync', mode: 'full' }]);
    const id = storeEvent('evt-perm');
    await createProcessWebhookHandler(deps())({ webhookEventId: id, connectorId }, ctx());
    expect(syncs).toEqual([
      { connectorId, request: { mode: 'full', reason: 'webhook', key: `sync:${connectorId}:full` } },
    ]);
  });

  it('ignores events for paused, missing or webhook-less connectors, with the reason', async () => {
    const handler = createProcessWebhookHandler(deps());
    connectors.setStatus(connectorId, 'paused');
    const paused = storeEvent('evt-paused');
    await handler({ webhookEventId: paused, connectorId }, ctx());
    expect(webhookEvents.get(paused)).toMatchObject({
      processingState: 'ignored',
      processingError: expect.stringContaining('paused'),
    });

    connectors.setStatus(connectorId, 'active');
    connector = new ScriptedConnector(false, async () => []);
    const noHooks = storeEvent('evt-nohooks');
    await handler({ webhookEventId: noHooks, connectorId }, ctx());
    expect(webhookEvents.get(noHooks)).toMatchObject({
      processingState: 'ignored',
      processingError: expect.stringContaining('do not handle webhooks'),
    });

    connector = new ScriptedConnector(true, async () => [
      { kind: 'ignore', reason: 'Page is outside the shared pages.' },
    ]);
    const outside = storeEvent('evt-outside');
    await handler({ webhookEventId: outside, connectorId }, ctx());
    expect(webhookEvents.get(outside)).toMatchObject({
      processingState: 'ignored',
      processingError: 'Page is outside the shared pages.',
    });
    expect(syncs).toEqual([]);
  });

  it('records a failure with its retry count and rethrows for the queue, then succeeds on retry', async () => {
    let fail = true;
    connector = new ScriptedConnector(true, async () => {
      if (fail) throw new AppError('UNAVAILABLE', 'Notion is not answering; will retry.');
      return [{ kind: 'sync', mode: 'incremental' }];
    });
    const id = storeEvent('evt-flaky');
    const handler = createProcessWebhookHandler(deps());
    await expect(handler({ webhookEventId: id, connectorId }, ctx(1))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(webhookEvents.get(id)).toMatchObject({
      processingState: 'failed',
      processingError: 'Notion is not answering; will retry.',
      retryCount: 0,
    });
    expect(notifications).toEqual([]);

    fail = false;
    await handler({ webhookEventId: id, connectorId }, ctx(2));
    expect(webhookEvents.get(id)).toMatchObject({ processingState: 'processed', processingError: null, retryCount: 1 });
  });

  it('notifies when the last attempt fails', async () => {
    connector = new ScriptedConnector(true, async () => {
      throw new AppError('UNAVAILABLE', 'Notion is down.');
    });
    const id = storeEvent('evt-dead');
    await expect(createProcessWebhookHandler(deps())({ webhookEventId: id, connectorId }, ctx(3, 3))).rejects.toThrow();
    expect(webhookEvents.get(id)).toMatchObject({ processingState: 'failed', retryCount: 2 });
    expect(notifications).toEqual([
      expect.objectContaining({ type: 'webhook.failed', level: 'error', message: 'Notion is down.' }),
    ]);
  });

  it('coalesces a burst of Drive notifications into one queued incremental sync', async () => {
    const queue = webhookSyncQueue(db);
    connector = new ScriptedConnector(true, async () => [{ kind: 'sync', mode: 'incremental' }]);
    const handler = createProcessWebhookHandler(
      deps({
        enqueueSync: (id, request) => {
          queue.enqueue(
            'sync_connector',
            { connectorId: id, mode: request.mode, syncType: 'webhook' },
            { key: request.key },
          );
        },
      }),
    );
    for (let n = 2; n <= 6; n++) {
      const id = storeEvent(`watch-1:${n}`, { resourceState: 'change', messageNumber: n }, 'google_drive');
      await handler({ webhookEventId: id, connectorId }, ctx());
    }
    const jobs = db.prepare(`SELECT job_key, status FROM jobs WHERE type = 'sync_connector'`).all();
    expect(jobs).toEqual([{ job_key: `sync:${connectorId}`, status: 'queued' }]);
    await queue.stop({ deadlineMs: 100 });
  });

  it('keeps separate targeted syncs for different pages but coalesces repeats of one page', () => {
    expect(syncJobKey('c', 'incremental', ['b', 'a'])).toBe(syncJobKey('c', 'incremental', ['a', 'b']));
    expect(syncJobKey('c', 'incremental', ['a'])).not.toBe(syncJobKey('c', 'incremental', ['b']));
    expect(syncJobKey('c', 'incremental')).toBe('sync:c');
  });
});
