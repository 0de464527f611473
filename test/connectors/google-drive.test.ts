import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnownStore } from '../helpers/known-store';
import { AppError } from '../../src/shared/errors';
import type { Clock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore, secretAccounts } from '../../src/main/core/secrets/secret-store';
import type {
  Connector,
  ConnectorStatus,
  SyncBatch,
  SyncOptions,
  SyncResult,
  SyncStats,
} from '../../src/main/core/connectors/types';
import {
  createGoogleDriveConnectorFactory,
  driveWebhookActions,
  saveGoogleTokens,
  stopDriveChannel,
  watchDriveChanges,
} from '../../src/main/core/connectors/google-drive';
import { FakeDriveServer } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';

const DOC = 'application/vnd.google-apps.document';
const SHEET = 'application/vnd.google-apps.spreadsheet';

/** Real timers, but every wait is recorded and shortened to 1 ms so storms run fast. */
function fastClock(waits: number[]): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      waits.push(ms);
      return setTimeout(fn, 1);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

interface Harness {
  oauth: FakeGoogleOAuthServer;
  drive: FakeDriveServer;
  secrets: MemorySecretStore;
  statuses: { status: ConnectorStatus; error?: string }[];
  waits: number[];
  connector(settings?: Record<string, unknown>, fetchImpl?: typeof fetch): Connector;
}

async function startHarness(): Promise<Harness> {
  const oauth = await new FakeGoogleOAuthServer().start();
  const drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
  const secrets = new MemorySecretStore();
  const { accessToken, refreshToken } = oauth.issueTokens();
  await saveGoogleTokens(secrets, 'drive-1', {
    accessToken,
    refreshToken,
    expiryDate: Date.now() + 3_600_000,
    clientSecret: oauth.clientSecret,
  });
  const statuses: Harness['statuses'] = [];
  const waits: number[] = [];
  const factory = createGoogleDriveConnectorFactory({ retry: { baseDelayMs: 200, maxRetries: 8 } });
  return {
    oauth,
    drive,
    secrets,
    statuses,
    waits,
    connector: (settings = {}, fetchImpl = globalThis.fetch) =>
      factory({
        config: {
          id: 'drive-1',
          type: 'google_drive',
          name: 'Drive',
          settings: {
            clientId: oauth.clientId,
            apiBaseUrl: drive.url,
            tokenUrl: oauth.tokenUrl,
            oauthBaseUrl: oauth.authUrl,
            ...settings,
          },
          status: 'active',
          syncCursor: null,
          lastSyncAt: null,
        },
        secrets,
        fetch: fetchImpl,
        logger: silentLogger,
        clock: fastClock(waits),
        setStatus: (status, error) => statuses.push({ status, error }),
      }),
  };
}

async function runSync(
  connector: Connector,
  store: KnownStore,
  mode: SyncOptions['mode'],
  extra: Partial<SyncOptions> = {},
): Promise<{ batches: SyncBatch[]; result: SyncResult; stats: SyncStats }> {
  const stats: SyncStats = { apiCalls: 0, bytesTransferred: 0 };
  const generator = connector.sync({
    mode,
    cursor: store.cursor,
    signal: new AbortController().signal,
    known: store.known,
    progress: () => {},
    stats,
    ...extra,
  });
  const batches: SyncBatch[] = [];
  for (;;) {
    const step = await generator.next();
    if (step.done) {
      store.cursor = step.value.cursor;
      return { batches, result: step.value, stats };
    }
    batches.push(step.value);
    store.apply(step.value);
  }
}

const upsertIds = (batches: SyncBatch[]): string[] => batches.flatMap((b) => b.upserts.map((d) => d.externalId));
const deletionIds = (batches: SyncBatch[]): string[] => batches.flatMap((b) => b.deletions);

/** A tree of `count` files: docs, sheets, PDFs and text files spread over nested folders. */
function seedTree(drive: FakeDriveServer, count: number): void {
  drive.addFolder('Projects', ['root'], 'folder-projects');
  drive.addFolder('Archive', ['folder-projects'], 'folder-archive');
  drive.addFolder('Elsewhere', ['root'], 'folder-elsewhere');
  const parents = ['root', 'folder-projects', 'folder-archive', 'folder-elsewhere'];
  for (let i = 0; i < count; i++) {
    const parent = parents[i % parents.length]!;
    const id = `file-${String(i).padStart(4, '0')}`;
    if (i % 3 === 0)
      drive.addFile({ id, name: `Doc ${i}`, mimeType: DOC, parents: [parent], content: `# Doc ${i}\n\nBody ${i}` });
    else if (i % 3 === 1)
      drive.addFile({ id, name: `notes-${i}.txt`, mimeType: 'text/plain', parents: [parent], content: `note ${i}` });
    else drive.addFile({ id, name: `Sheet ${i}`, mimeType: SHEET, parents: [parent], content: `a,b\n${i},${i * 2}` });
  }
}

describe('Google Drive connector', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.drive.stop();
    await h.oauth.stop();
  });

  it('imports every file of a few-hundred-file tree on the first sync, with the start token taken first', async () => {
    seedTree(h.drive, 320);
    const store = new KnownStore();
    const { batches, result, stats } = await runSync(h.connector(), store, 'full');

    const ids = upsertIds(batches);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(323); // 320 files + 3 folders (recorded as skipped)
    const folder = batches.flatMap((b) => b.upserts).find((d) => d.externalId === 'folder-projects')!;
    expect(folder.skipReason).toBe('folder');
    expect(result.cursor).toEqual({ startPageToken: expect.any(String) });
    // The start page token is requested before the first listing page.
    const paths = h.drive.requests.map((r) => r.path);
    expect(paths.indexOf('/drive/v3/changes/startPageToken')).toBeLessThan(paths.indexOf('/drive/v3/files'));
    expect(h.drive.countRequests('/drive/v3/files')).toBe(4); // 323 files, 100 per page
    expect(stats.apiCalls).toBe(5);
    expect(stats.bytesTransferred).toBeGreaterThan(10_000);
  });

  it('exports Google files as text and downloads binaries, with the right hashes', async () => {
    h.drive.addFile({ id: 'doc', name: 'Plan', mimeType: DOC, content: '# Plan\n\n- ship it' });
    h.drive.addFile({ id: 'sheet', name: 'Budget', mimeType: SHEET, content: 'item,cost\ncoffee,3' });
    h.drive.addFile({
      id: 'slides',
      name: 'Pitch',
      mimeType: 'application/vnd.google-apps.presentation',
      content: 'Slide 1',
    });
    h.drive.addFile({
      id: 'pdf',
      name: 'paper.pdf',
      mimeType: 'application/pdf',
      content: Buffer.from('%PDF-1.4 fake'),
    });
    h.drive.addFile({ id: 'form', name: 'Survey', mimeType: 'application/vnd.google-apps.form' });
    h.drive.addFile({ id: 'big', name: 'huge.pdf', mimeType: 'application/pdf', content: Buffer.alloc(2048) });
    h.drive.addFile({ id: 'huge-doc', name: 'Huge', mimeType: DOC, content: 'x', exportTooLarge: true });
    const { batches } = await runSync(h.connector({ maxFileSizeBytes: 1024 }), new KnownStore(), 'full');
    const docs = new Map(batches.flatMap((b) => b.upserts).map((d) => [d.externalId, d]));
    const signal = new AbortController().signal;

    expect(await docs.get('doc')!.load(signal)).toEqual({
      kind: 'text',
      text: '# Plan\n\n- ship it',
      mimeType: 'text/markdown',
    });
    expect(await docs.get('sheet')!.load(signal)).toMatchObject({
      kind: 'text',
      mimeType: 'text/csv',
      text: 'item,cost\ncoffee,3',
    });
    expect(await docs.get('slides')!.load(signal)).toMatchObject({ kind: 'text', mimeType: 'text/plain' });
    const pdf = await docs.get('pdf')!.load(signal);
    expect(pdf).toMatchObject({ kind: 'bytes', mimeType: 'application/pdf', fileName: 'paper.pdf' });
    expect(Buffer.from((pdf as { bytes: Uint8Array }).bytes).toString()).toBe('%PDF-1.4 fake');

    expect(docs.get('pdf')!.contentHash).toMatch(/^[0-9a-f]{32}$/);
    expect(docs.get('doc')!.contentHash).toBe('v:1');
    expect(docs.get('form')!.skipReason).toMatch(/unsupported Google file type/);
    expect(docs.get('big')!.skipReason).toBe('larger than the 1 KB limit (2 KB)');
    const tooLarge = await docs
      .get('huge-doc')!
      .load(signal)
      .catch((e: unknown) => e);
    expect(AppError.is(tooLarge, 'UNSUPPORTED_FILE')).toBe(true);
    expect((tooLarge as AppError).details?.skipReason).toMatch(/export size limit/);
  });

  it('falls back to plain text when Drive refuses a Markdown export', async () => {
    h.drive.addFile({ id: 'doc', name: 'Plan', mimeType: DOC, content: 'Plan body' });
    h.drive.refusedExportFormats.add('text/markdown');
    const { batches } = await runSync(h.connector(), new KnownStore(), 'full');
    const content = await batches[0]!.upserts[0]!.load(new AbortController().signal);
    expect(content).toEqual({ kind: 'text', text: 'Plan body', mimeType: 'text/plain' });
  });

  it('disconnects when Drive keeps rejecting a freshly refreshed token', async () => {
    const stubborn = await new FakeDriveServer(() => false).start();
    try {
      const error = await runSync(h.connector({ apiBaseUrl: stubborn.url }), new KnownStore(), 'full').catch(
        (e: unknown) => e,
      );
      expect(AppError.is(error, 'CONNECTOR_AUTH')).toBe(true);
      expect(h.oauth.refreshGrants).toBe(1); // refreshed once, not in a loop
      expect(stubborn.requests.map((r) => r.status)).toEqual([401, 401]);
      expect(h.statuses.map((s) => s.status)).toEqual(['disconnected']);
    } finally {
      await stubborn.stop();
    }
  });

  it('moves only what changed on an incremental sync: edits, moves, trashing, un-sharing', async () => {
    seedTree(h.drive, 200);
    const store = new KnownStore();
    const settings = { folderIds: ['folder-projects'] };
    const first = await runSync(h.connector(settings), store, 'full');
    const inScope = upsertIds(first.batches);
    // folder-projects children (files 1,5,9,...), folder-archive and its children (2,6,10,...)
    expect(inScope).toContain('file-0001');
    expect(inScope).toContain('file-0002');
    expect(inScope).not.toContain('file-0003');

    h.drive.edit('file-0001', { content: 'note 1 edited' });
    h.drive.move('file-0005', 'folder-elsewhere'); // moved out of scope -> deletion
    h.drive.move('file-0003', 'folder-archive'); // moved into scope -> upsert
    h.drive.trash('file-0006');
    h.drive.unshare('file-0009');
    h.drive.edit('file-0004', { content: 'outside the chosen folders' }); // not in scope, never seen: nothing
    h.drive.remove('file-0010');
    const before = h.drive.requests.length;

    const second = await runSync(h.connector(settings), store, 'incremental');
    expect(upsertIds(second.batches).sort()).toEqual(['file-0001', 'file-0003']);
    expect(deletionIds(second.batches).sort()).toEqual(['file-0005', 'file-0006', 'file-0009', 'file-0010']);
    expect(second.result.cursor).not.toEqual(first.result.cursor);
    // No re-listing: only the change feed (and folder lookups for the scope check).
    const newPaths = h.drive.requests.slice(before).map((r) => r.path);
    expect(newPaths).not.toContain('/drive/v3/files');
    expect(newPaths.filter((p) => p === '/drive/v3/changes')).toHaveLength(1);

    const third = await runSync(h.connector(settings), store, 'incremental');
    expect(third.batches).toEqual([]);
  });

  it('carries a whole folder in or out of the chosen folders when the folder moves', async () => {
    seedTree(h.drive, 24);
    const store = new KnownStore();
    const settings = { folderIds: ['folder-projects'] };
    await runSync(h.connector(settings), store, 'full');
    const archiveFiles = ['file-0002', 'file-0006', 'file-0010', 'file-0014', 'file-0018', 'file-0022'];
    expect(archiveFiles.every((id) => store.docs.has(id))).toBe(true);

    h.drive.move('folder-archive', 'folder-elsewhere');
    const out = await runSync(h.connector(settings), store, 'incremental');
    expect(upsertIds(out.batches)).toEqual([]);
    expect(deletionIds(out.batches).sort()).toEqual(['folder-archive', ...archiveFiles].sort());

    h.drive.move('folder-archive', 'folder-projects');
    const back = await runSync(h.connector(settings), store, 'incremental');
    expect(upsertIds(back.batches).sort()).toEqual(['folder-archive', ...archiveFiles].sort());
    expect(deletionIds(back.batches)).toEqual([]);
  });

  it('reports files gone from a full listing as deletions', async () => {
    seedTree(h.drive, 20);
    const store = new KnownStore();
    await runSync(h.connector(), store, 'full');
    h.drive.unshare('file-0002');
    h.drive.trash('file-0003');
    const { batches } = await runSync(h.connector(), store, 'full');
    expect(deletionIds(batches).sort()).toEqual(['file-0002', 'file-0003']);
  });

  it('follows nextPageToken through a long change feed and saves newStartPageToken', async () => {
    const store = new KnownStore();
    await runSync(h.connector(), store, 'full');
    for (let i = 0; i < 1500; i++)
      h.drive.addFile({ id: `n${i}`, name: `n${i}.txt`, mimeType: 'text/plain', content: `n${i}` });
    const { batches, result } = await runSync(h.connector(), store, 'incremental');
    expect(new Set(upsertIds(batches)).size).toBe(1500);
    expect(h.drive.requests.filter((r) => r.path === '/drive/v3/changes')).toHaveLength(2);
    expect(result.cursor).toEqual({ startPageToken: String(1501) });
  });

  it('survives a storm of 429 and 403 rate-limit answers and yields every file exactly once', async () => {
    seedTree(h.drive, 350);
    h.drive.storm('429', 3, { everyRequest: true }); // one request refused three times in a row
    h.drive.storm('userRateLimitExceeded', 2); // then every other request
    h.drive.storm('rateLimitExceeded', 1);
    h.drive.storm('503', 1);
    const { batches, stats } = await runSync(h.connector(), new KnownStore(), 'full');
    const ids = upsertIds(batches);
    expect(ids.length).toBe(353);
    expect(new Set(ids).size).toBe(353);
    expect(h.drive.requests.filter((r) => r.status === 429 || r.status === 403 || r.status === 503)).toHaveLength(7);
    expect(stats.apiCalls).toBe(5 + 7); // every attempt counted
    // Full-jitter exponential backoff: the n-th consecutive wait is at most 200 ms * 2^n.
    expect(h.waits).toHaveLength(7);
    expect(h.waits[0]).toBeLessThanOrEqual(200);
    expect(h.waits[1]).toBeLessThanOrEqual(400);
    expect(h.waits[2]).toBeLessThanOrEqual(800);
  });

  it('stops retrying as soon as the sync is cancelled', async () => {
    h.drive.storm('503', 50, { everyRequest: true });
    const controller = new AbortController();
    let calls = 0;
    const cancellingFetch: typeof fetch = (input, init) => {
      if (++calls === 3) controller.abort(); // the person presses Cancel during the third attempt
      return globalThis.fetch(input, init);
    };
    const pending = runSync(h.connector({}, cancellingFetch), new KnownStore(), 'full', { signal: controller.signal });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(3); // nothing keeps retrying in the background
  });

  it('lists shared-drive files only when shared drives are enabled', async () => {
    h.drive.addFile({ id: 'mine', name: 'mine.txt', mimeType: 'text/plain', content: 'm' });
    h.drive.addFile({ id: 'team', name: 'team.txt', mimeType: 'text/plain', content: 't', driveId: 'drive-team' });
    const without = await runSync(h.connector(), new KnownStore(), 'full');
    expect(upsertIds(without.batches)).toEqual(['mine']);
    const withShared = await runSync(h.connector({ includeSharedDrives: true }), new KnownStore(), 'full');
    expect(upsertIds(withShared.batches).sort()).toEqual(['mine', 'team']);
    const listCall = h.drive.requests.filter((r) => r.path === '/drive/v3/files').at(-1)!;
    expect(listCall.query.get('corpora')).toBe('allDrives');
    expect(listCall.query.get('supportsAllDrives')).toBe('true');
  });

  it('falls back to a full listing when the saved page token is no longer valid', async () => {
    seedTree(h.drive, 5);
    const store = new KnownStore();
    store.cursor = { startPageToken: '999999' };
    const { batches, result } = await runSync(h.connector(), store, 'incremental');
    expect(upsertIds(batches)).toHaveLength(8);
    expect(result.cursor).toEqual({ startPageToken: expect.any(String) });
    expect(result.cursor).not.toEqual({ startPageToken: '999999' });
  });

  it('gives up with RATE_LIMITED after the retries are spent', async () => {
    h.drive.addFile({ id: 'a', name: 'a.txt', mimeType: 'text/plain', content: 'a' });
    h.drive.storm('429', 40, { everyRequest: true });
    const connector = createGoogleDriveConnectorFactory({ retry: { baseDelayMs: 1, maxRetries: 2 } });
    const error = await runSync(
      connector({
        config: {
          id: 'drive-1',
          type: 'google_drive',
          name: 'D',
          settings: { clientId: h.oauth.clientId, apiBaseUrl: h.drive.url, tokenUrl: h.oauth.tokenUrl },
          status: 'active',
          syncCursor: null,
          lastSyncAt: null,
        },
        secrets: h.secrets,
        fetch: globalThis.fetch,
        logger: silentLogger,
        clock: fastClock([]),
      }),
      new KnownStore(),
      'full',
    ).catch((e: unknown) => e);
    expect(AppError.is(error, 'RATE_LIMITED')).toBe(true);
    expect(h.drive.requests).toHaveLength(3); // one attempt + two retries, then stop
  });

  it('refreshes an access token that expires mid-sync and completes the sync', async () => {
    seedTree(h.drive, 250);
    const store = new KnownStore();
    const connector = h.connector();
    const stats: SyncStats = { apiCalls: 0, bytesTransferred: 0 };
    const generator = connector.sync({
      mode: 'full',
      cursor: null,
      signal: new AbortController().signal,
      known: store.known,
      progress: () => {},
      stats,
    });
    const seen: string[] = [];
    const firstBatch = await generator.next();
    if (!firstBatch.done) seen.push(...firstBatch.value.upserts.map((d) => d.externalId));
    h.oauth.expireAccessTokens(); // the hour is up
    for (let step = await generator.next(); !step.done; step = await generator.next()) {
      seen.push(...step.value.upserts.map((d) => d.externalId));
    }
    expect(new Set(seen).size).toBe(253);
    expect(h.oauth.refreshGrants).toBe(1);
    expect(h.statuses).toEqual([]);
    // The refreshed token was written back to the keychain.
    const saved = JSON.parse((await h.secrets.get(secretAccounts.connectorToken('drive-1')))!) as {
      accessToken: string;
    };
    expect(h.oauth.isValidAccessToken(saved.accessToken)).toBe(true);
  });

  it('marks the connector disconnected with a clear error when access was revoked', async () => {
    seedTree(h.drive, 5);
    h.oauth.revokeAll();
    const error = await runSync(h.connector(), new KnownStore(), 'full').catch((e: unknown) => e);
    expect(AppError.is(error, 'CONNECTOR_AUTH')).toBe(true);
    expect((error as AppError).message).toBe('Google Drive access was revoked. Reconnect Google Drive in Connectors.');
    expect(h.statuses).toEqual([
      { status: 'disconnected', error: 'Google Drive access was revoked. Reconnect Google Drive in Connectors.' },
    ]);
    expect(JSON.stringify(error)).not.toContain('refresh');
  });

  it('re-reads only the given ids for a webhook-driven sync', async () => {
    seedTree(h.drive, 10);
    const store = new KnownStore();
    await runSync(h.connector(), store, 'full');
    h.drive.edit('file-0001', { content: 'changed' });
    h.drive.trash('file-0002');
    const { batches, result } = await runSync(h.connector(), store, 'incremental', {
      onlyExternalIds: ['file-0001', 'file-0002'],
    });
    expect(upsertIds(batches)).toEqual(['file-0001']);
    expect(deletionIds(batches)).toEqual(['file-0002']);
    expect(result.cursor).toEqual(store.cursor);
  });

  it('maps push notifications and opens/stops a changes.watch channel', async () => {
    const event = (state: string) => ({
      eventType: 'drive',
      eventSource: 'google_drive',
      eventId: null,
      payload: null,
      headers: { 'X-Goog-Resource-State': state },
    });
    expect(driveWebhookActions(event('sync'))).toEqual([{ kind: 'ignore', reason: 'channel handshake' }]);
    expect(await h.connector().handleWebhook(event('change'))).toEqual([{ kind: 'sync', mode: 'incremental' }]);

    const context = {
      config: {
        id: 'drive-1',
        type: 'google_drive' as const,
        name: 'D',
        settings: { clientId: h.oauth.clientId, apiBaseUrl: h.drive.url, tokenUrl: h.oauth.tokenUrl },
        status: 'active' as const,
        syncCursor: null,
        lastSyncAt: null,
      },
      secrets: h.secrets,
      fetch: globalThis.fetch,
      logger: silentLogger,
      clock: fastClock([]),
    };
    const channel = await watchDriveChanges({
      context,
      address: 'https://relay.example/hooks/abc',
      channelId: 'chan-1',
      token: 'tok',
      expirationMs: 3_600_000,
    });
    expect(channel.channelId).toBe('chan-1');
    expect(h.drive.channels.get('chan-1')).toMatchObject({ address: 'https://relay.example/hooks/abc', token: 'tok' });
    await stopDriveChannel({ context, channelId: 'chan-1', resourceId: channel.resourceId });
    expect(h.drive.channels.size).toBe(0);
  });
});
