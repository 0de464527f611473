import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { createLogger, silentLogger } from '../../src/main/core/logger';
import { backoffDelay } from '../../src/main/core/relay-client/backoff';
import { RelayClient, type RelayClientOptions } from '../../src/main/core/relay-client/relay-client';
import { MemorySecretStore, secretAccounts } from '../../src/main/core/secrets/secret-store';
import { ConnectorsRepo } from '../../src/main/core/store/connectors.repo';
import { RelayChannelsRepo } from '../../src/main/core/store/relay-channels.repo';
import { WebhookEventsRepo } from '../../src/main/core/store/webhook-events.repo';
import {
  notionEvent,
  portOf,
  postDrive,
  postSignedNotion,
  startRelay,
  tempDir,
  verifyNotion,
  waitFor,
  type RunningRelay,
} from './helpers';

interface Desktop {
  db: Database;
  secrets: MemorySecretStore;
  connectors: ConnectorsRepo;
  client: RelayClient;
  enqueued: Array<{ id: string; connectorId: string }>;
  fetchCalls: { count: number };
}

describe('RelayClient against a real relay', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: RunningRelay;
  let relayUrl: string | null;
  let desktop: Desktop;

  function makeDesktop(overrides: Partial<RelayClientOptions> = {}): Desktop {
    const db = openDatabase(':memory:');
    const secrets = new MemorySecretStore();
    const enqueued: Desktop['enqueued'] = [];
    const fetchCalls = { count: 0 };
    const countingFetch: typeof fetch = (input, init) => {
      fetchCalls.count++;
      return fetch(input, init);
    };
    const client = new RelayClient({
      db,
      secrets,
      fetch: countingFetch,
      clock: systemClock,
      logger: process.env.RELAY_TEST_DEBUG ? createLogger({ level: 'debug' }) : silentLogger,
      relayUrl: () => relayUrl,
      enqueueWebhook: (id, connectorId) => enqueued.push({ id, connectorId }),
      pollWaitSeconds: 1,
      backoff: { baseMs: 20, maxMs: 200 },
      ...overrides,
    });
    return { db, secrets, connectors: new ConnectorsRepo(db, systemClock), client, enqueued, fetchCalls };
  }

  beforeEach(async () => {
    tmp = tempDir('relay-client-');
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, longPollMs: 300 });
    relayUrl = relay.url;
    desktop = makeDesktop();
  });
  afterEach(async () => {
    await desktop.client.stop();
    await relay.close();
    desktop.db.close();
    tmp.cleanup();
  });

  async function notionConnector(): Promise<{ connectorId: string; webhookUrl: string; token: string }> {
    const connector = desktop.connectors.create({ type: 'notion', name: 'Team wiki', settings: {} });
    const channel = await desktop.client.ensureChannel(connector.id);
    const token = await verifyNotion(channel.webhookUrl);
    return { connectorId: connector.id, webhookUrl: channel.webhookUrl, token };
  }

  const rows = (connectorId: string) =>
    new WebhookEventsRepo(desktop.db, systemClock).listByConnector(connectorId).reverse();
  const cursor = (connectorId: string) => new RelayChannelsRepo(desktop.db, systemClock).get(connectorId)?.lastSequence;

  it('registers a channel once, keeps the poll secret in the keychain and shows what to paste into Notion', async () => {
    const connector = desktop.connectors.create({ type: 'notion', name: 'Wiki', settings: {} });
    const channel = await desktop.client.ensureChannel(connector.id);
    expect(channel.webhookUrl).toMatch(new RegExp(`^${relay.url}/hooks/ch_[A-Za-z0-9_-]+/notion$`));
    expect(await desktop.secrets.get(secretAccounts.relayPollSecret(connector.id))).toBeTruthy();
    expect(JSON.stringify(desktop.db.prepare('SELECT * FROM relay_channels').all())).not.toContain(
      await desktop.secrets.get(secretAccounts.relayPollSecret(connector.id)),
    );
    expect((await desktop.client.ensureChannel(connector.id)).channelId).toBe(channel.channelId);
    const other = desktop.connectors.create({ type: 'notion', name: 'Other', settings: {} });
    const [a, b] = await Promise.all([desktop.client.ensureChannel(other.id), desktop.client.ensureChannel(other.id)]);
    expect(a.channelId).toBe(b.channelId);

    expect(await desktop.client.webhookInfo(connector.id)).toEqual({ webhookUrl: channel.webhookUrl });
    await verifyNotion(channel.webhookUrl, 'secret_paste_me');
    expect(await desktop.client.webhookInfo(connector.id)).toEqual({
      webhookUrl: channel.webhookUrl,
      verificationToken: 'secret_paste_me',
    });
    expect((await desktop.client.notionVerification(connector.id)).verificationToken).toBe('secret_paste_me');

    const local = desktop.connectors.create({ type: 'local_folder', name: 'Docs', settings: {} });
    await expect(desktop.client.ensureChannel(local.id)).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('stores each event once in webhook_events, advances the cursor, acknowledges and enqueues', async () => {
    const { connectorId, webhookUrl, token } = await notionConnector();
    desktop.client.start();
    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'evt-a', pageId: 'page-a' }));
    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'evt-b', type: 'page.deleted', pageId: 'page-b' }));
    await waitFor(() => desktop.enqueued.length === 2, 5000, 'two enqueues');

    const stored = rows(connectorId);
    expect(stored.map((r) => [r.eventId, r.eventType, r.eventSource, r.relaySequence, r.processingState])).toEqual([
      ['evt-a', 'page.content_updated', 'notion', 1, 'received'],
      ['evt-b', 'page.deleted', 'notion', 2, 'received'],
    ]);
    expect(stored[1]!.payload).toMatchObject({ entity: { id: 'page-b', type: 'page' } });
    expect(desktop.enqueued).toEqual(stored.map((r) => ({ id: r.id, connectorId })));
    expect(cursor(connectorId)).toBe(2);
    await waitFor(
      async () =>
        ((await (await fetch(`${relay.url}/healthz`)).json()) as { pendingEvents: number }).pendingEvents === 0,
      3000,
      'ack',
    );
  });

  it('catches up in order after the desktop was offline', async () => {
    desktop.db.close();
    desktop = makeDesktop({ pageSize: 7 });
    const { connectorId, webhookUrl, token } = await notionConnector();

    // The desktop is not polling (offline) while 25 edits arrive.
    const ids = Array.from({ length: 25 }, (_, i) => `evt-${String(i).padStart(2, '0')}`);
    for (const id of ids) await postSignedNotion(webhookUrl, token, notionEvent({ id }));
    desktop.client.start();
    await waitFor(() => desktop.enqueued.length === 25, 5000, '25 enqueues');
    const stored = rows(connectorId);
    expect(stored.map((r) => r.eventId)).toEqual(ids);
    expect(stored.map((r) => r.relaySequence)).toEqual(ids.map((_, i) => i + 1));
    expect(desktop.enqueued.map((e) => e.id)).toEqual(stored.map((r) => r.id));
    expect(cursor(connectorId)).toBe(25);
  });

  it('stores and enqueues an event delivered twice only once', async () => {
    const { connectorId, webhookUrl, token } = await notionConnector();
    desktop.client.start();
    const body = notionEvent({ id: 'evt-twice' });
    await postSignedNotion(webhookUrl, token, body);
    await waitFor(() => desktop.enqueued.length === 1, 5000, 'first delivery');
    await waitFor(
      async () =>
        ((await (await fetch(`${relay.url}/healthz`)).json()) as { pendingEvents: number }).pendingEvents === 0,
      3000,
      'ack',
    );

    // Notion retries after the relay already handed the event over and dropped it: the relay stores it again...
    const retry = await postSignedNotion(webhookUrl, token, body);
    expect(await retry.json()).toMatchObject({ sequence: 2 });
    await waitFor(() => cursor(connectorId) === 2, 5000, 'second delivery');
    // ...and the desktop keeps one row and one job.
    expect(rows(connectorId)).toHaveLength(1);
    expect(desktop.enqueued).toHaveLength(1);
  });

  it('deduplicates Drive notifications by channel id and message number', async () => {
    const connector = desktop.connectors.create({ type: 'google_drive', name: 'Drive', settings: {} });
    const channel = await desktop.client.ensureChannel(connector.id);
    const { driveToken } = await desktop.client.webhookInfo(connector.id);
    expect(driveToken).toBeTruthy();
    await postDrive(channel.webhookUrl, { token: driveToken!, state: 'sync', messageNumber: 1, channelId: 'w1' });
    await postDrive(channel.webhookUrl, { token: driveToken!, state: 'change', messageNumber: 2, channelId: 'w1' });
    desktop.client.start();
    await waitFor(() => desktop.enqueued.length === 1, 5000, 'drive delivery');
    await postDrive(channel.webhookUrl, { token: driveToken!, state: 'change', messageNumber: 2, channelId: 'w1' });
    await postDrive(channel.webhookUrl, { token: driveToken!, state: 'change', messageNumber: 3, channelId: 'w1' });
    await waitFor(() => desktop.enqueued.length === 2, 5000, 'second drive delivery');
    await waitFor(() => cursor(connector.id) === 3, 5000, 'cursor');
    const stored = rows(connector.id);
    expect(stored.map((r) => [r.eventId, r.eventType, r.eventSource])).toEqual([
      ['w1:2', 'drive.change', 'google_drive'],
      ['w1:3', 'drive.change', 'google_drive'],
    ]);
    expect(stored[0]!.payload).toMatchObject({
      resourceState: 'change',
      messageNumber: 2,
      resourceId: 'res-1',
      channelId: 'w1',
    });
  });

  it('loses nothing when the relay restarts while events wait', async () => {
    const { connectorId, webhookUrl, token } = await notionConnector();
    desktop.client.start();
    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'before' }));
    await waitFor(() => desktop.enqueued.length === 1, 5000, 'first delivery');
    await desktop.client.stop();

    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'waiting-1' }));
    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'waiting-2' }));
    const port = portOf(relay.url);
    await relay.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, port, longPollMs: 300 });

    desktop.client.start();
    await waitFor(() => desktop.enqueued.length === 3, 5000, 'waiting events');
    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'after' }));
    await waitFor(() => desktop.enqueued.length === 4, 5000, 'event after restart');
    expect(rows(connectorId).map((r) => r.eventId)).toEqual(['before', 'waiting-1', 'waiting-2', 'after']);
  });

  it('backs off with growing, jittered delays while the relay is down, then recovers', async () => {
    const { connectorId, webhookUrl, token } = await notionConnector();
    const port = portOf(relay.url);
    await relay.close();

    const delays: number[] = [];
    const recordingClock: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return systemClock.setTimeout(fn, ms);
      },
      clearTimeout: (h) => systemClock.clearTimeout(h),
    };
    const db = desktop.db;
    const secrets = desktop.secrets;
    const enqueued: Desktop['enqueued'] = [];
    let calls = 0;
    const client = new RelayClient({
      db,
      secrets,
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
      clock: recordingClock,
      logger: silentLogger,
      relayUrl: () => relayUrl,
      enqueueWebhook: (id, cid) => enqueued.push({ id, connectorId: cid }),
      pollWaitSeconds: 1,
      backoff: { baseMs: 40, maxMs: 160 },
      random: () => 0.5,
    });
    client.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      // Delays: 3/4 of min(160, 40 * 2^(n-1)) => 30, 60, 120, 120, ...
      expect(delays.slice(0, 4)).toEqual([30, 60, 120, 120]);
      // About 700 ms / ~120 ms per attempt: a handful of attempts, not a hot loop.
      expect(calls).toBeGreaterThanOrEqual(4);
      expect(calls).toBeLessThan(12);
      // The last attempt may still be in flight.
      expect(client.status()[0]!.connectorId).toBe(connectorId);
      expect(client.status()[0]!.consecutiveFailures).toBeGreaterThanOrEqual(calls - 1);

      relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, port, longPollMs: 300 });
      await postSignedNotion(webhookUrl, token, notionEvent({ id: 'after-outage' }));
      await waitFor(() => enqueued.length === 1, 5000, 'delivery after outage');
      await waitFor(() => client.status()[0]!.consecutiveFailures === 0, 3000, 'failure count reset');
      expect(client.status()[0]!.lastError).toBeNull();
    } finally {
      await client.stop();
    }
  });

  it('re-enqueues events a crash left stored but never enqueued', async () => {
    const { connectorId, webhookUrl, token } = await notionConnector();
    let queueUp = false;
    const enqueued: string[] = [];
    const client = new RelayClient({
      db: desktop.db,
      secrets: desktop.secrets,
      fetch,
      clock: systemClock,
      logger: silentLogger,
      relayUrl: () => relayUrl,
      enqueueWebhook: (id) => {
        if (!queueUp) throw new Error('queue not available');
        enqueued.push(id);
      },
      pollWaitSeconds: 1,
    });
    client.start();
    await postSignedNotion(webhookUrl, token, notionEvent({ id: 'evt-crash' }));
    await waitFor(() => cursor(connectorId) === 1, 5000, 'stored');
    await client.stop();
    expect(enqueued).toEqual([]);
    queueUp = true;
    expect(client.requeueReceived()).toBe(1);
    expect(enqueued).toEqual([rows(connectorId)[0]!.id]);
  });

  it('keeps polling after the poll secret is rotated', async () => {
    const { connectorId, webhookUrl, token } = await notionConnector();
    const before = await desktop.secrets.get(secretAccounts.relayPollSecret(connectorId));
    await desktop.client.rotatePollSecret(connectorId);
    expect(await desktop.secrets.get(secretAccounts.relayPollSecret(connectorId))).not.toBe(before);
    desktop.client.start();
    await postSignedNotion(webhookUrl, token);
    await waitFor(() => desktop.enqueued.length === 1, 5000, 'delivery with rotated secret');
  });

  it('computes backoff delays within [cap/2, cap]', () => {
    const options = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(1, options, () => 0)).toBe(500);
    expect(backoffDelay(1, options, () => 1)).toBe(1000);
    expect(backoffDelay(4, options, () => 0.5)).toBe(6000);
    expect(backoffDelay(50, options, () => 1)).toBe(60_000);
  });
});
