import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/main/cli/status.command';
import type { SearchResponse } from '../../src/main/core/search/types';
import { KeytarSecretStore } from '../../src/main/core/secrets/keytar-secret-store';
import { secretAccounts } from '../../src/main/core/secrets/secret-store';
import { FakeDriveServer } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';
import { dataFolderText, runTrove, runTroveJson, startTrove, type ConnectorRow, type TroveRun } from './run-trove';

/**
 * `trove add-drive` (the OAuth loopback flow, with this test acting as the
 * browser), `sync`, `search`, `status` and `connectors` as real processes
 * against the fake Google endpoints, with the OS keychain (a private
 * gnome-keyring session: run through scripts/with-keyring.sh).
 */
describe.runIf(process.env.TROVE_IN_KEYRING_SESSION === '1')('trove CLI with Google Drive', () => {
  let dataDir: string;
  const keychain = new KeytarSecretStore();

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-drive-'));
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('Google Drive', () => {
    let oauth: FakeGoogleOAuthServer;
    let drive: FakeDriveServer;
    let added: TroveRun;
    let consentUrl: string;
    let browserPage: string;
    let connectors: ConnectorRow[];
    let launch: SearchResponse;
    let status: StatusReport;
    let declined: TroveRun;

    /** Runs `trove add-drive` and plays the browser: opens the printed consent URL and follows the redirect. */
    async function connectDrive(): Promise<{ consentUrl: string; browserPage: string; run: TroveRun }> {
      const trove = startTrove(dataDir, [
        'add-drive',
        '--name',
        'Work Drive',
        '--client-id',
        oauth.clientId,
        '--auth-url',
        oauth.authUrl,
        '--token-url',
        oauth.tokenUrl,
        '--api-base-url',
        drive.url,
      ]);
      const url = (await trove.waitForOutput(/^\s*(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)$/m))[1]!;
      const consent = await fetch(url, { redirect: 'manual' });
      expect(consent.status).toBe(302);
      const page = await (await fetch(consent.headers.get('location')!)).text();
      return { consentUrl: url, browserPage: page, run: await trove.done };
    }

    beforeAll(async () => {
      oauth = await new FakeGoogleOAuthServer().start();
      drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
      drive.addFolder('Team', ['root'], 'folder-team');
      drive.addFile({
        id: 'doc-plan',
        name: 'Launch plan',
        mimeType: 'application/vnd.google-apps.document',
        parents: ['folder-team'],
        content: '# Launch plan\n\n## Timeline\n\nShip the kwlaunchzq beta in March.\n',
      });
      drive.addFile({
        id: 'txt-notes',
        name: 'notes.txt',
        mimeType: 'text/plain',
        content: 'Standup kwstandupzq notes',
      });

      // Act as the browser: open the printed consent page, follow its redirect to the loopback.
      ({ consentUrl, browserPage, run: added } = await connectDrive());
      oauth.denyWith = 'access_denied';
      [connectors, launch, status, declined] = await Promise.all([
        runTroveJson<ConnectorRow[]>(dataDir, ['connectors', '--json']),
        runTroveJson<SearchResponse>(dataDir, ['search', 'kwlaunchzq', '--json']),
        runTroveJson<StatusReport>(dataDir, ['status', '--json']),
        connectDrive().then((flow) => flow.run),
      ]);
    }, 60_000);

    afterAll(async () => {
      await drive?.stop();
      await oauth?.stop();
    });

    it('prints a consent URL with PKCE and a loopback redirect, then completes on the redirect', () => {
      const url = new URL(consentUrl);
      expect(url.searchParams.get('client_id')).toBe(oauth.clientId);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(url.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/drive.readonly');
      expect(browserPage).toMatch(/Google Drive is connected to Trove/);
      expect(oauth.codeGrants).toBe(1);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/Google Drive connected\./);
    });

    it('gives up cleanly when the person declines consent, adding nothing', () => {
      expect(declined.code).toBe(1);
      expect(declined.stderr).toMatch(/^trove: Access to Google Drive was declined/m);
      expect(connectors.filter((c) => c.type === 'google_drive')).toHaveLength(1);
      // (`sync 'Work Drive'` below would also fail if a second connector of that name had appeared.)
    });

    it('runs the first sync, and search finds Drive files', () => {
      const driveConnector = connectors.find((c) => c.type === 'google_drive')!;
      expect(driveConnector).toMatchObject({ name: 'Work Drive', status: 'active' });
      expect(driveConnector.documentCounts).toMatchObject({ completed: 2, skipped: 1 });
      expect(launch.groups.map((g) => g.document.title)).toEqual(['Launch plan']);
      expect(launch.groups[0]!.chunks[0]!.headingPath).toEqual(['Launch plan', 'Timeline']);
      // The two files are indexed; their folder is recorded as skipped.
      expect(status).toMatchObject({ connectors: 1, documents: { completed: 2, skipped: 1, error: 0 } });
      expect(status.queue.failed).toBe(0);
    });

    it('keeps the tokens in the keychain and none in the data folder', async () => {
      const id = connectors.find((c) => c.type === 'google_drive')!.id;
      const stored = JSON.parse((await keychain.get(secretAccounts.connectorToken(id)))!) as {
        accessToken: string;
        refreshToken: string;
      };
      expect(stored.refreshToken).toMatch(/^1\/\/refresh-/);
      expect(oauth.isValidAccessToken(stored.accessToken)).toBe(true);
      const db = dataFolderText(dataDir);
      expect(db).not.toContain(stored.refreshToken);
      expect(db).not.toContain(stored.accessToken);
    });

    it('sync runs an incremental Drive sync from the saved page token', async () => {
      drive.edit('txt-notes', { content: 'Standup kwretrozq notes, edited' });
      drive.trash('doc-plan');
      const before = drive.requests.length;
      const synced = await runTrove(dataDir, ['sync', 'Work Drive']);
      expect(synced.code, synced.stderr).toBe(0);
      const paths = drive.requests.slice(before).map((r) => r.path);
      expect(paths).toContain('/drive/v3/changes');
      expect(paths).not.toContain('/drive/v3/files');
      const [retro, launch] = await Promise.all([
        runTroveJson<SearchResponse>(dataDir, ['search', 'kwretrozq', '--json']),
        runTroveJson<SearchResponse>(dataDir, ['search', 'kwlaunchzq', '--json']),
      ]);
      expect(retro.groups.map((g) => g.document.title)).toEqual(['notes.txt']);
      expect(launch.groups).toEqual([]);
    });
  });
});
