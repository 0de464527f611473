import { describe, expect, it } from 'vitest';
import { deletionIds, KnownStore, runSync, upsertIds } from '../helpers/known-store';
import { AppError } from '../../src/shared/errors';
import { createGoogleDriveConnectorFactory } from '../../src/main/core/connectors/google-drive';
import { DOC, SHEET, useHarness, seedTree } from './google-drive-harness';

describe('Google Drive connector: listing and reading', () => {
  const h = useHarness();

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
    // A photo of a whiteboard is downloaded for OCR; a voice memo is skipped without being fetched.
    h.drive.addFile({ id: 'scan', name: 'whiteboard.png', mimeType: 'image/png', content: Buffer.from([0x89, 0x50]) });
    h.drive.addFile({ id: 'memo', name: 'memo.m4a', mimeType: 'audio/mp4', content: Buffer.alloc(16) });
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
    expect(docs.get('scan')!.skipReason).toBeUndefined();
    expect(await docs.get('scan')!.load(signal)).toMatchObject({ kind: 'bytes', fileName: 'whiteboard.png' });
    expect(docs.get('memo')!.skipReason).toBe('audio and video files are not indexed (audio/mp4)');
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

  it('reports files gone from a full listing as deletions', async () => {
    seedTree(h.drive, 20);
    const store = new KnownStore();
    await runSync(h.connector(), store, 'full');
    h.drive.unshare('file-0002');
    h.drive.trash('file-0003');
    const { batches } = await runSync(h.connector(), store, 'full');
    expect(deletionIds(batches).sort()).toEqual(['file-0002', 'file-0003']);
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

  it('gives up with RATE_LIMITED after the retries are spent', async () => {
    h.drive.addFile({ id: 'a', name: 'a.txt', mimeType: 'text/plain', content: 'a' });
    h.drive.storm('429', 40, { everyRequest: true });
    const connector = createGoogleDriveConnectorFactory({ retry: { baseDelayMs: 1, maxRetries: 2 } });
    const error = await runSync(connector(h.context()), new KnownStore(), 'full').catch((e: unknown) => e);
    expect(AppError.is(error, 'RATE_LIMITED')).toBe(true);
    expect(h.drive.requests).toHaveLength(3); // one attempt + two retries, then stop
  });
});
