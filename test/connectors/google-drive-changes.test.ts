import { describe, expect, it } from 'vitest';
import { deletionIds, KnownStore, runSync, upsertIds } from '../helpers/known-store';
import { driveWebhookActions, stopDriveChannel, watchDriveChanges } from '../../src/main/core/connectors/google-drive';
import { useHarness, seedTree } from './google-drive-harness';

describe('Google Drive connector: the change feed and webhooks', () => {
  const h = useHarness();

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

  it('falls back to a full listing when the saved page token is no longer valid', async () => {
    seedTree(h.drive, 5);
    const store = new KnownStore();
    store.cursor = { startPageToken: '999999' };
    const { batches, result } = await runSync(h.connector(), store, 'incremental');
    expect(upsertIds(batches)).toHaveLength(8);
    expect(result.cursor).toEqual({ startPageToken: expect.any(String) });
    expect(result.cursor).not.toEqual({ startPageToken: '999999' });
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

    const context = h.context();
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
