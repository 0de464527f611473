import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveGoogleTokens } from '../../src/main/core/connectors/google-drive';
import { FakeDriveServer, fakeDriveSettings } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';
import { postDrive } from '../relay/helpers';
import {
  eventually,
  footprintOf,
  relayCursor,
  storedEvents,
  titlesFor,
  WebhookWorld,
  webhookSyncRuns,
} from './harness';

const CONNECTOR = 'drive-e2e';
const DOC = 'application/vnd.google-apps.document';

/**
 * Google Drive push notifications end to end, over real HTTP on 127.0.0.1:
 * the desktop opens a changes.watch on the fake Drive pointed at its relay
 * channel, "Google" posts notifications there (headers only, as Drive does),
 * the relay poller stores them, process_webhook asks for an incremental
 * sync, and the Changes API brings the edit into search.
 */
describe('Drive notifications through the relay to search', () => {
  const world = new WebhookWorld();
  let oauth: FakeGoogleOAuthServer;
  let drive: FakeDriveServer;
  /** What Google echoes on every notification of the watch the desktop opened. */
  let watch: { address: string; token: string; channelId: string; resourceId: string };
  let messageNumber = 1;

  /** Posts the next notification of the watch, as Google would; returns the relay's sequence. */
  const notify = async (): Promise<number> => {
    messageNumber++;
    const response = await postDrive(watch.address, { ...watch, state: 'change', messageNumber });
    expect(response.status).toBe(200);
    return ((await response.json()) as { sequence: number }).sequence;
  };
  const caughtUpTo = async (sequence: number): Promise<void> => {
    await eventually(() => relayCursor(world.core, CONNECTOR) >= sequence, `relay cursor ${sequence}`);
    await world.core.idle();
  };
  const documentOf = (externalId: string) =>
    world.core.repos.documents.getByExternalId(CONNECTOR, externalId) ??
    expect.unreachable(`no document ${externalId}`);

  beforeAll(async () => {
    oauth = await new FakeGoogleOAuthServer().start();
    drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
    drive.addFile({
      id: 'plan',
      name: 'Quarterly plan',
      mimeType: DOC,
      content: '# Quarterly plan\n\nShip kwdraftplanzq.\n',
    });
    drive.addFile({ id: 'notes', name: 'notes.txt', mimeType: 'text/plain', content: 'Loose notes kwloosenoteszq.\n' });
    drive.addFile({
      id: 'obsolete',
      name: 'obsolete.txt',
      mimeType: 'text/plain',
      content: 'Old stuff kwobsoletezq.\n',
    });

    await world.startRelay();
    const core = await world.startDesktop();
    const { accessToken, refreshToken } = oauth.issueTokens();
    await saveGoogleTokens(world.secrets, CONNECTOR, {
      accessToken,
      refreshToken,
      expiryDate: Date.now() + 3_600_000,
      clientSecret: oauth.clientSecret,
    });
    await core.connectors.add({
      id: CONNECTOR,
      type: 'google_drive',
      name: 'Work Drive',
      settings: fakeDriveSettings(oauth, drive),
    });
    // Adding the connector creates its relay channel, which opens the Drive watch.
    const channel = await core.relay.ensureChannel(CONNECTOR);
    await core.idle();
    const opened = await eventually(() => [...drive.channels.entries()][0], 'the Drive watch');
    const [channelId, { address, token, resourceId }] = opened;
    expect(address).toBe(channel.webhookUrl);
    watch = { address, token, channelId, resourceId };
    // Google's handshake when a watch opens announces no change.
    expect((await postDrive(address, { ...watch, state: 'sync', messageNumber: 1 })).status).toBe(200);
  }, 30_000);

  afterAll(async () => {
    await world.close();
    await drive?.stop();
    await oauth?.stop();
  });

  it('indexes the Drive with the first sync', async () => {
    expect(await titlesFor(world.core, 'kwdraftplanzq')).toEqual(['Quarterly plan']);
    expect(await titlesFor(world.core, 'kwobsoletezq')).toEqual(['obsolete.txt']);
  });

  it('a change notification runs an incremental sync that picks up the edit', async () => {
    drive.edit('plan', { content: '# Quarterly plan\n\nShip kwfinalplanzq instead.\n' });
    await caughtUpTo(await notify());

    expect(await titlesFor(world.core, 'kwfinalplanzq')).toEqual(['Quarterly plan']);
    expect(await titlesFor(world.core, 'kwdraftplanzq')).toEqual([]);
    expect(storedEvents(world.core, CONNECTOR).map((e) => [e.eventId, e.type, e.state])).toEqual([
      [`${watch.channelId}:2`, 'drive.change', 'processed'],
    ]);
    // The run ends with its last document indexed, a moment after the text became searchable.
    await eventually(
      async () => world.core.repos.syncLogs.list({ connectorId: CONNECTOR, limit: 1 })[0]?.phase === 'done',
      'the webhook run to end',
    );
    const log = world.core.repos.syncLogs.list({ connectorId: CONNECTOR, limit: 1 })[0];
    expect(log).toMatchObject({ syncType: 'webhook', fullSync: false, documentsUpdated: 1, status: 'success' });
    expect(webhookSyncRuns(world.core, CONNECTOR)).toBe(1);
  });

  it('a burst of 20 notifications runs one sync', async () => {
    const runsBefore = webhookSyncRuns(world.core, CONNECTOR);
    drive.edit('notes', { content: 'Loose notes, tidied: kwtidynoteszq.\n' });
    const sequences = await Promise.all(Array.from({ length: 20 }, () => notify()));
    await caughtUpTo(Math.max(...sequences));

    expect(
      storedEvents(world.core, CONNECTOR)
        .slice(-20)
        .every((e) => e.state === 'processed'),
    ).toBe(true);
    expect(webhookSyncRuns(world.core, CONNECTOR) - runsBefore).toBe(1);
    expect(await titlesFor(world.core, 'kwtidynoteszq')).toEqual(['notes.txt']);
    expect(await titlesFor(world.core, 'kwloosenoteszq')).toEqual([]);
  });

  it('a trashed file leaves search, with its chunks, keyword rows and vectors', async () => {
    const before = footprintOf(world.core, world.core.repos.chunks.chunkIdsForDocument(documentOf('obsolete').id));
    expect(before.chunkIds.length).toBeGreaterThan(0);
    expect(before).toMatchObject({ ftsRows: before.chunkIds.length, vectors: before.chunkIds.length });

    drive.trash('obsolete');
    await caughtUpTo(await notify());

    expect(documentOf('obsolete').syncStatus).toBe('deleted');
    expect(await titlesFor(world.core, 'kwobsoletezq')).toEqual([]);
    expect(footprintOf(world.core, before.chunkIds)).toEqual({ chunkIds: [], ftsRows: 0, vectors: 0 });
  });

  it('catches up after the desktop was offline, with one sync for what it missed', async () => {
    const runsBefore = webhookSyncRuns(world.core, CONNECTOR);
    await world.stopDesktop();
    drive.edit('notes', { content: 'Notes written while the laptop slept: kwofflinedrivezq.\n' });
    let last = 0;
    for (let i = 0; i < 3; i++) last = await notify();

    await world.startDesktop();
    await caughtUpTo(last);
    const missed = storedEvents(world.core, CONNECTOR).slice(-3);
    expect(missed.map((e) => [e.eventId, e.state])).toEqual(
      [messageNumber - 2, messageNumber - 1, messageNumber].map((n) => [`${watch.channelId}:${n}`, 'processed']),
    );
    expect(webhookSyncRuns(world.core, CONNECTOR) - runsBefore).toBe(1);
    expect(await titlesFor(world.core, 'kwofflinedrivezq')).toEqual(['notes.txt']);
  });

  it('reopens a Drive watch that expired while the desktop was closed, and notifications flow again', async () => {
    await world.stopDesktop();
    // A long sleep: the watch Google had open for us has run out.
    world.editOfflineDesktop((db) =>
      db
        .prepare(`UPDATE relay_channels SET provider_state = json_set(provider_state, '$.driveWatch.expiration', ?)`)
        .run(Date.now() - 60_000),
    );
    const expired = watch.channelId;

    await world.startDesktop();
    const [channelId, opened] = await eventually(
      () => [...drive.channels.entries()].find(([id]) => id !== expired),
      'a new Drive watch',
    );
    expect(opened.address).toBe(watch.address);
    expect(drive.channels.has(expired)).toBe(false);
    watch = { ...opened, channelId };
    messageNumber = 1;
    expect((await postDrive(watch.address, { ...watch, state: 'sync', messageNumber })).status).toBe(200);

    drive.edit('plan', { content: '# Quarterly plan\n\nAfter the sleep: kwawakeplanzq.\n' });
    await caughtUpTo(await notify());
    expect(await titlesFor(world.core, 'kwawakeplanzq')).toEqual(['Quarterly plan']);
  });

  it('refuses a notification with the wrong channel token, and nothing is synced', async () => {
    const runsBefore = webhookSyncRuns(world.core, CONNECTOR);
    const eventsBefore = storedEvents(world.core, CONNECTOR).length;
    drive.edit('plan', { content: '# Quarterly plan\n\nForged kwforgeddrivezq.\n' });
    for (const token of ['forged', undefined]) {
      const response = await postDrive(watch.address, { ...watch, token, state: 'change', messageNumber: 999 });
      expect(response.status).toBe(401);
    }
    // Only one stored event and one sync later: the genuine notification posted after the forged ones.
    await caughtUpTo(await notify());
    expect(storedEvents(world.core, CONNECTOR)).toHaveLength(eventsBefore + 1);
    expect(webhookSyncRuns(world.core, CONNECTOR) - runsBefore).toBe(1);
  });
});
