import type { Database } from 'better-sqlite3';
import { jobContext } from '../helpers/job-context';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';
import { createGoogleDriveConnectorFactory, saveGoogleTokens } from '../../src/main/core/connectors/google-drive';
import type { ConnectorContext } from '../../src/main/core/connectors/types';
import { openDatabase } from '../../src/main/core/db/open';
import { createProcessWebhookHandler } from '../../src/main/core/handlers/process-webhook.handler';
import { silentLogger } from '../../src/main/core/logger';
import { webhookSyncQueue } from '../helpers/webhook-sync-queue';
import { createDriveWatchPort } from '../../src/main/core/relay-client/drive-watch-port';
import { DriveWatchRenewer } from '../../src/main/core/relay-client/drive-watch-renewer';
import { RelayClient } from '../../src/main/core/relay-client/relay-client';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { ConnectorsRepo, type StoredConnector } from '../../src/main/core/store/connectors.repo';
import { RelayChannelsRepo } from '../../src/main/core/store/relay-channels.repo';
import { WebhookEventsRepo } from '../../src/main/core/store/webhook-events.repo';
import { FakeDriveServer, fakeDriveSettings } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';
import { postDrive, startRelay, tempDir, waitFor, type RunningRelay } from './helpers';

/**
 * Drive push notifications over real HTTP: the renewer opens a changes.watch
 * on the fake Drive API pointed at the relay, "Google" posts a handshake and
 * a burst of change notifications there, the RelayClient stores them, and
 * process_webhook (with the real Drive connector) leaves exactly one queued
 * incremental sync.
 */
describe('Drive notifications through the relay', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: RunningRelay;
  let oauth: FakeGoogleOAuthServer;
  let drive: FakeDriveServer;
  let db: Database;

  beforeEach(async () => {
    tmp = tempDir('relay-drive-');
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, longPollMs: 300 });
    oauth = await new FakeGoogleOAuthServer().start();
    drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
    db = openDatabase(':memory:');
  });
  afterEach(async () => {
    await relay.close();
    await drive.stop();
    await oauth.stop();
    db.close();
    tmp.cleanup();
  });

  it('opens a watch at the relay and turns a burst of notifications into one queued sync', async () => {
    const secrets = new MemorySecretStore();
    const connectors = new ConnectorsRepo(db, systemClock);
    const config = connectors.create({
      type: 'google_drive',
      name: 'Drive',
      settings: fakeDriveSettings(oauth, drive),
    });
    const { accessToken, refreshToken } = oauth.issueTokens();
    await saveGoogleTokens(secrets, config.id, {
      accessToken,
      refreshToken,
      expiryDate: Date.now() + 3_600_000,
      clientSecret: oauth.clientSecret,
    });
    const contextFor = (connectorId: string): ConnectorContext => ({
      config: connectors.get(connectorId)!,
      secrets,
      fetch,
      logger: silentLogger,
      clock: systemClock,
    });
    const factory = createGoogleDriveConnectorFactory();

    const queue = webhookSyncQueue(db);
    const webhookEvents = new WebhookEventsRepo(db, systemClock);
    const processWebhook = createProcessWebhookHandler({
      webhookEvents,
      getConnector: (id) => connectors.get(id),
      buildConnector: (stored: StoredConnector) => factory(contextFor(stored.id)),
      enqueueSync: (connectorId, request) =>
        queue.enqueue('sync_connector', { connectorId, mode: request.mode, syncType: 'webhook' }, { key: request.key }),
      deleteDocuments: () => 0,
      recordEvent: () => {},
      atomically: (fn) => db.transaction(fn)(),
    });
    const processing: Promise<void>[] = [];

    const client = new RelayClient({
      db,
      secrets,
      fetch,
      clock: systemClock,
      logger: silentLogger,
      relayUrl: () => relay.url,
      pollWaitSeconds: 1,
      enqueueWebhook: (webhookEventId, connectorId) => {
        processing.push(processWebhook({ webhookEventId, connectorId }, jobContext({ id: 'job' })));
      },
      providers: { onChannelReady: async (connectorId) => void (await renewer.ensure(connectorId)) },
    });
    // Declared after the client: the callback above runs only once both exist.
    const renewer = new DriveWatchRenewer({
      channels: new RelayChannelsRepo(db, systemClock),
      webhookInfo: (connectorId) => client.webhookInfo(connectorId),
      drive: createDriveWatchPort(contextFor, systemClock),
      clock: systemClock,
      logger: silentLogger,
    });

    try {
      const channel = await client.ensureChannel(config.id);
      const watch = renewer.current(config.id)!;
      const opened = drive.channels.get(watch.channelId);
      expect(opened).toMatchObject({ address: channel.webhookUrl, resourceId: watch.resourceId });

      // Google: the handshake, then a burst of changes, one of them delivered twice.
      const google = { token: opened!.token, channelId: watch.channelId, resourceId: watch.resourceId };
      expect((await postDrive(opened!.address, { ...google, state: 'sync', messageNumber: 1 })).status).toBe(200);
      for (const n of [2, 3, 3, 4]) {
        expect((await postDrive(opened!.address, { ...google, state: 'change', messageNumber: n })).status).toBe(200);
      }
      expect(
        (await postDrive(opened!.address, { ...google, token: 'forged', state: 'change', messageNumber: 5 })).status,
      ).toBe(401);

      client.start();
      await waitFor(() => processing.length === 3, 5000, 'three notifications');
      await Promise.all(processing);

      const stored = webhookEvents.listByConnector(config.id).reverse();
      expect(stored.map((e) => [e.eventId, e.processingState])).toEqual([
        [`${watch.channelId}:2`, 'processed'],
        [`${watch.channelId}:3`, 'processed'],
        [`${watch.channelId}:4`, 'processed'],
      ]);
      const syncJobs = db.prepare(`SELECT job_key, status, payload FROM jobs WHERE type = 'sync_connector'`).all();
      expect(syncJobs).toEqual([
        {
          job_key: `sync:${config.id}`,
          status: 'queued',
          payload: JSON.stringify({ connectorId: config.id, mode: 'incremental', syncType: 'webhook' }),
        },
      ]);
    } finally {
      await client.stop();
      renewer.stop();
      await queue.stop({ deadlineMs: 100 });
    }
  });
});
