import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGoogleTokens, saveGoogleTokens } from '../../src/main/core/connectors/google-drive';
import { silentLogger } from '../../src/main/core/logger';
import type { StoredDocument } from '../../src/main/core/store/documents.repo';
import type { SyncLog } from '../../src/main/core/store/sync-logs.repo';
import { FakeDriveServer, fakeDriveSettings } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';
import { makePdf } from '../fixtures/documents';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { CHANGED, codeword, DOC, PERSONAL, seedDriveTree, type SeededTree } from './fixtures/providers-drive-tree';

const IN_SCOPE_FILES = 300;

/** Google Drive through the whole core: connector, sync handler, processing, search, sync history. */
describe('Google Drive through the core', () => {
  let t: TestCore;
  let oauth: FakeGoogleOAuthServer;
  let drive: FakeDriveServer;
  let tree: SeededTree;
  let connectorId: string;
  /** When set, every access token expires as Drive receives its request number N (mid-sync expiry). */
  let expireTokensAtRequest: number | undefined;

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

  beforeAll(async () => {
    oauth = await new FakeGoogleOAuthServer().start();
    drive = await new FakeDriveServer((token) => {
      if (expireTokensAtRequest !== undefined && drive.requests.length >= expireTokensAtRequest) {
        oauth.expireAccessTokens();
        expireTokensAtRequest = undefined;
      }
      return oauth.isValidAccessToken(token);
    }).start();
    tree = await seedDriveTree(drive, IN_SCOPE_FILES);
    t = await startTestCore({ core: { logger: silentLogger } });
    connectorId = 'drive-work';
    // What the OAuth loopback flow leaves behind: tokens in the keychain under the connector's id.
    const { accessToken, refreshToken } = oauth.issueTokens();
    await saveGoogleTokens(t.core.secrets, connectorId, {
      accessToken,
      refreshToken,
      expiryDate: Date.now() + 3_600_000,
      clientSecret: oauth.clientSecret,
    });
    await t.core.connectors.add({
      id: connectorId,
      type: 'google_drive',
      name: 'Work Drive',
      settings: {
        ...fakeDriveSettings(oauth, drive),
        folderIds: ['folder-work'],
      },
    });
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await drive?.stop();
    await oauth?.stop();
  });

  describe('the first sync', () => {
    it('indexes every readable file under the chosen folder and nothing outside it', () => {
      for (const id of tree.contentIds) expect(doc(id).syncStatus, id).toBe('completed');
      for (const id of tree.outOfScope)
        expect(t.core.repos.documents.getByExternalId(connectorId, id), id).toBeUndefined();
      expect(t.core.repos.documents.getByExternalId(connectorId, PERSONAL)).toBeUndefined();
      expect(tree.contentIds.length + tree.skipped.size).toBe(IN_SCOPE_FILES);
    });

    it('records folders and unsupported types as skipped, each with its reason', () => {
      for (const [id, reason] of tree.skipped) {
        expect(doc(id).syncStatus, id).toBe('skipped');
        expect(doc(id).syncError, id).toMatch(reason);
      }
    });

    it('makes exported Docs, downloaded PDFs and DOCX files searchable', async () => {
      expect(await titlesFor(codeword(CHANGED.editedDoc))).toEqual([`Meeting ${CHANGED.editedDoc}`]);
      expect(await titlesFor(codeword('file-0003'))).toEqual(['Meeting file-0003']);
      expect(await titlesFor(codeword('file-0002'))).toEqual(['Sheet 2']);
      expect(await titlesFor(codeword(CHANGED.editedPdf))).toEqual(['irrigation-report.pdf']);
      const handbook = await t.core.search.search({ query: codeword('docx-handbook'), mode: 'keyword' });
      // An uploaded file's name is only a file name: the title inside it is shown, the name beside it.
      expect(handbook.groups[0]?.document).toMatchObject({ title: 'Handbook', fileName: 'handbook.docx' });
      expect(handbook.groups[0]?.chunks[0]?.headingPath).toEqual(['Handbook', 'Onboarding']);
      // The tiny model embedded every chunk, so search by meaning runs too.
      const semantic = await t.core.search.search({ query: 'drip lines north beds', mode: 'semantic' });
      expect(semantic.mode).toBe('semantic');
      expect(semantic.groups.length).toBeGreaterThan(0);
    });

    it('logs the run with its counts, API calls and bytes', () => {
      const log = latestLog();
      expect(log).toMatchObject({
        status: 'success',
        fullSync: true,
        documentsSynced: tree.contentIds.length,
        documentsUpdated: 0,
        documentsDeleted: 0,
        documentsSkipped: tree.skipped.size,
        documentsFailed: 0,
      });
      // Every request of the run is counted; the two connection tests (on add, and before the run) are not part of it.
      expect(log.apiCallsMade).toBe(drive.requests.length - 2);
      const downloaded = [...drive.files.values()]
        .filter((f) => tree.contentIds.includes(f.id))
        .reduce((sum, f) => sum + f.content.length, 0);
      expect(log.bytesTransferred).toBeGreaterThan(downloaded);
      expect(t.core.repos.connectors.get(connectorId)).toMatchObject({ status: 'active', lastError: null });
    });
  });

  describe('an incremental sync after edits, a move, trashing and un-sharing', () => {
    let processedBefore: number;
    let requestsBefore: number;
    let untouchedChunks: number[];
    let newPdfBytes: number;
    let refreshesBefore: number;

    beforeAll(async () => {
      processedBefore = processedDocumentIds().length;
      requestsBefore = drive.requests.length;
      untouchedChunks = t.core.repos.chunks.chunkIdsForDocument(doc('file-0003').id);
      drive.edit(CHANGED.editedDoc, {
        content: `# Meeting ${CHANGED.editedDoc}\n\nThe roadmap review now covers kwrewrittenzq only.\n`,
      });
      const pdf = await makePdf([
        'Irrigation report\nThe drip lines were replaced.',
        'Results\nkwrevisedpdfzq halved water use.',
      ]);
      newPdfBytes = pdf.length;
      drive.edit(CHANGED.editedPdf, { content: Buffer.from(pdf) });
      drive.move(CHANGED.movedOut, PERSONAL);
      drive.trash(CHANGED.trashed);
      drive.unshare(CHANGED.unshared);
      drive.addFile({
        id: 'doc-new',
        name: 'Retro',
        mimeType: DOC,
        parents: ['folder-archive'],
        content: 'kwfreshdoczq',
      });
      // A change outside the chosen folder is read from the feed but not imported.
      drive.edit('personal-0', { content: 'still private' });
      // The access token expires right after the change list was read, before any content is fetched.
      refreshesBefore = oauth.refreshGrants;
      expireTokensAtRequest = requestsBefore + 2;
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
    }, 60_000);

    it('processes only the edited and the new files again', () => {
      const all = processedDocumentIds();
      const fresh = all.slice(0, all.length - processedBefore); // newest first
      expect(fresh.sort()).toEqual([doc(CHANGED.editedDoc).id, doc(CHANGED.editedPdf).id, doc('doc-new').id].sort());
      expect(t.core.repos.chunks.chunkIdsForDocument(doc('file-0003').id)).toEqual(untouchedChunks);
      expect(t.core.repos.documents.getByExternalId(connectorId, 'personal-0')).toBeUndefined();
    });

    it('finds the new text and no longer the old', async () => {
      expect(await titlesFor('kwrewrittenzq')).toEqual([`Meeting ${CHANGED.editedDoc}`]);
      expect(await titlesFor(codeword(CHANGED.editedDoc))).toEqual([]);
      expect(await titlesFor('kwrevisedpdfzq')).toEqual(['irrigation-report.pdf']);
      expect(await titlesFor(codeword(CHANGED.editedPdf))).toEqual([]);
      expect(await titlesFor('kwfreshdoczq')).toEqual(['Retro']);
    });

    it('removes moved-out, trashed and un-shared files from the index and from search', async () => {
      for (const id of [CHANGED.movedOut, CHANGED.trashed, CHANGED.unshared]) {
        expect(doc(id).syncStatus, id).toBe('deleted');
        expect(t.core.repos.chunks.chunkIdsForDocument(doc(id).id), id).toEqual([]);
        expect(await titlesFor(codeword(id)), id).toEqual([]);
      }
    });

    it('survives the access token expiring mid-sync, and keeps the refreshed token in the keychain', async () => {
      expect(expireTokensAtRequest).toBeUndefined();
      expect(drive.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0);
      expect(oauth.refreshGrants - refreshesBefore).toBe(1);
      const saved = await loadGoogleTokens(t.core.secrets, connectorId);
      expect(oauth.isValidAccessToken(saved.accessToken!)).toBe(true);
      expect(t.core.repos.connectors.get(connectorId)!.status).toBe('active');
    });

    it('logs exactly those changes, with the API calls and bytes of the run', () => {
      const log = latestLog();
      expect(log).toMatchObject({
        status: 'success',
        fullSync: false,
        documentsSynced: 1,
        documentsUpdated: 2,
        documentsDeleted: 3,
        documentsSkipped: 0,
        documentsFailed: 0,
      });
      // All requests since, less the connection test before the run.
      expect(log.apiCallsMade).toBe(drive.requests.length - requestsBefore - 1);
      // A handful: the change list, the three contents, the answers refused with the expired token. No re-listing.
      expect(log.apiCallsMade).toBeLessThan(20);
      expect(log.bytesTransferred).toBeGreaterThan(newPdfBytes);
    });
  });

  describe('a revoked token', () => {
    let completedBefore: number;

    beforeAll(async () => {
      completedBefore = t.core.repos.documents.countsByStatus().completed;
      oauth.revokeAll();
      drive.edit('file-0003', { content: 'never fetched' });
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
    }, 30_000);

    it('marks the connector disconnected with an error that says what to do', () => {
      const connector = t.core.repos.connectors.get(connectorId)!;
      expect(connector.status).toBe('disconnected');
      expect(connector.lastError).toMatch(/revoked.*Reconnect Google Drive/);
      expect(connector.lastError).not.toMatch(/ya29|1\/\/refresh/);
    });

    it('fails the sync job at once with the cause, since a retry cannot succeed', () => {
      const [job] = t.core.queue.list({ type: 'sync_connector', limit: 1 });
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job!.lastError).toMatch(/revoked/);
    });

    it('records the run as failed and tells the person in the notifications feed', () => {
      expect(latestLog()).toMatchObject({ status: 'failed', fullSync: false });
      expect(latestLog().errorMessage).toMatch(/revoked/);
      const failed = t.core.repos.events.list({ limit: 20 }).filter((e) => e.type === 'sync.failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ level: 'error', connectorId, title: 'Work Drive could not sync' });
      expect(failed[0]!.message).toMatch(/revoked.*Reconnect/);
    });

    it('keeps what was already indexed', async () => {
      expect(t.core.repos.documents.countsByStatus().completed).toBe(completedBefore);
      expect(await titlesFor(codeword('file-0003'))).toEqual(['Meeting file-0003']);
    });
  });
});
