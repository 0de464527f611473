/**
 * The flows of issue 15, as a new user drives them in Chromium: a second tab
 * and a bookmark, a mistyped import path, failed files by name with their
 * actions, semantic search switched on from the Search screen, and Google
 * Drive connected from the app (against the local OAuth and Drive fakes).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDriveServer } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';
import type { FakeModelHub } from '../fakes/model-hub-server';
import { makeGarbagePdf, makePdf } from '../fixtures/documents';
import { serveTinyAsDefaultModel } from '../helpers/default-model-hub';
import { startE2EApp, type E2EApp } from './harness';
import { writeMarkdownCorpus } from './markdown-corpus';

let app: E2EApp;
let hub: FakeModelHub;
let oauth: FakeGoogleOAuthServer;
let drive: FakeDriveServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  oauth = await new FakeGoogleOAuthServer().start();
  drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
  drive.addFile({
    name: 'Roadmap',
    mimeType: 'application/vnd.google-apps.document',
    content: 'Roadmap\n\nShip the lighthouse release before the autumn equinox.',
  });
  drive.addFile({ name: 'packing.txt', mimeType: 'text/plain', content: 'Bring a lantern and two maps.' });
  // Where a real install talks to Google, this one talks to the fakes.
  process.env.TROVE_GOOGLE_AUTH_URL = oauth.authUrl;
  process.env.TROVE_GOOGLE_TOKEN_URL = oauth.tokenUrl;
  process.env.TROVE_GOOGLE_DRIVE_API_URL = drive.url;
  const scratch = path.join((await import('node:os')).tmpdir(), `trove-e2e-hub-${process.pid}`);
  hub = await serveTinyAsDefaultModel(scratch);
  app = await startE2EApp({ core: { modelHubUrl: hub.baseUrl } });
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && app) {
    await app
      .screenshot(`FAILED-flows-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`)
      .catch(() => undefined);
  }
});

afterAll(async () => {
  await app?.close();
  await hub?.close();
  await drive?.stop();
  await oauth?.stop();
  process.env = savedEnv;
});

describe('issue 15 flows', () => {
  it('opens in a second tab and from a bookmark without the token, live; another browser is told what to do', async () => {
    const second = await app.context.newPage();
    const errors: string[] = [];
    second.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await second.goto(app.origin + '/#/connectors');
    await second.getByTestId('connectors-empty').waitFor();
    expect(second.url()).not.toContain('token');
    // The event stream works in the new tab: a folder added elsewhere appears without a reload.
    const folder = path.join(app.filesDir, 'tab-notes');
    await (await import('node:fs/promises')).mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'a.md'), '# A\n\nAlpha in a second tab.\n');
    await app.api.addLocalFolder({ path: folder, name: 'Tab notes' });
    await second.getByTestId('connector-card').filter({ hasText: 'Tab notes' }).waitFor({ timeout: 30_000 });
    expect(errors.filter((e) => /401/.test(e))).toEqual([]);
    await second.close();

    // A browser that never opened the printed URL gets one clear page, not seven failing screens.
    const stranger = await app.browser.newContext();
    const page = await stranger.newPage();
    await page.goto(app.origin + '/');
    await page.getByTestId('screen-locked').waitFor();
    expect(await page.getByTestId('screen-locked').textContent()).toMatch(/trove serve/);
    expect(await page.getByTestId('sync-state').count()).toBe(0);
    await page.screenshot({ path: path.join(path.dirname(await app.screenshot('20-tab')), '21-locked.png') });
    await stranger.close();
  });

  it('fails an import of a path that does not exist, once, by name', async () => {
    const { page } = app;
    await page.getByTestId('nav-import').click();
    const missing = path.join(app.filesDir, 'no-such-folder');
    await page.getByTestId('import-paths').fill(missing);
    await page.getByTestId('import-paths-submit').click();
    const card = page.getByTestId('import-session');
    await expect.poll(() => card.getAttribute('data-phase')).toBe('failed');
    expect(await page.getByTestId('import-title').textContent()).toBe('Import failed');
    expect(await card.getByTestId('error-banner').textContent()).toContain(missing);
    await app.screenshot('22-import-missing-path');
    // Nothing was recorded: no run in the history, no connector remembers the path.
    const runs = await app.api.listSyncLogs({ limit: 50, openOnly: false });
    expect(runs.items.filter((r) => r.kindLabel === 'Import')).toHaveLength(0);
  });

  it('lists a failed file by name and path from the card, the run and the notification, and retries it', async () => {
    const { page } = app;
    const broken = path.join(app.filesDir, 'quarterly.pdf');
    const good = path.join(app.filesDir, 'minutes.md');
    await writeFile(broken, makeGarbagePdf());
    await writeFile(good, '# Minutes\n\nThe committee approved the lighthouse budget.\n');
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-paths').fill(`${broken}\n${good}`);
    await page.getByTestId('import-paths-submit').click();
    await page.waitForSelector('[data-testid="import-summary"][data-done="true"]', { timeout: 60_000 });
    expect(await page.getByTestId('import-title').textContent()).toMatch(/problems/);
    // The import is read from the history: a reload shows the same one.
    await page.reload();
    await page.waitForSelector('[data-testid="import-summary"][data-done="true"]');
    expect(await page.getByTestId('import-title').textContent()).toMatch(/problems/);
    await page.getByTestId('import-problems-only').check();
    await expect.poll(() => page.getByTestId('import-file-row').count()).toBe(1);
    await app.screenshot('23-import-problems');

    // From the connector card: "Failed 1" opens the files, named by title and path, never by hash.
    await page.getByTestId('nav-connectors').click();
    const card = page.getByTestId('connector-card').filter({ hasText: 'Imported files' });
    expect(await card.getByTestId('sync-now').count()).toBe(0);
    await card.getByTestId('show-failed').click();
    const dialog = page.getByTestId('failures-dialog');
    const item = dialog.getByTestId('failure-item').filter({ hasText: 'quarterly.pdf' });
    expect(await item.getByTestId('failure-path').textContent()).toBe(broken);
    expect(await item.getByTestId('failure-reason').textContent()).toMatch(/pdf/i);
    expect(await dialog.textContent()).not.toMatch(/sha256/);
    await app.screenshot('24-failures-dialog');
    // Fixed on disk, then retried from the dialog: it is read again and indexed.
    await writeFile(broken, await makePdf(['The quarterly report, readable at last.']));
    await item.getByTestId('failure-retry').click();
    await dialog.getByTestId('failures-empty').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => card.getByTestId('doc-count-error').textContent(), { timeout: 60_000 }).toBe('0');

    // The notification named the file and links to the run's failures.
    await page.getByTestId('nav-notifications').click();
    // Grouped by source: the newest (the retry's "1 new") shows, the earlier failure folds under it.
    await page.getByTestId('notification-group-toggle').first().click();
    const note = page.getByTestId('notification').filter({ hasText: 'could not be indexed' }).first();
    expect(await note.textContent()).toContain('“quarterly.pdf”');
    await note.getByTestId('notification-show-files').click();
    await page.getByTestId('failures-dialog').waitFor();
    await app.screenshot('25-notifications');
    await page.keyboard.press('Escape');
  });

  it('opens and closes a sync run from the keyboard, and focus comes back to its row', async () => {
    const { page } = app;
    await page.getByTestId('nav-history').click();
    const row = page.getByTestId('sync-log-row').first();
    await row.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('sync-log-detail');
    await dialog.waitFor();
    await page.waitForTimeout(300);
    expect(await dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    await app.screenshot('26-history-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  });

  it('cancels a sync from Activity: the run then reads as stopped, not failed, there and in the history', async () => {
    const { page } = app;
    // Large enough that the run is still open when Cancel is clicked (1,500 notes index in about 2 s here).
    await writeMarkdownCorpus(path.join(app.filesDir, 'Archive'), 5000);
    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('add-connector').click();
    await page.getByTestId('folder-path').fill(path.join(app.filesDir, 'Archive'));
    await page.getByTestId('add-folder-submit').click();
    await page.getByTestId('nav-activity').click();
    const open = page.getByTestId('runs-open').getByTestId('run-card').filter({ hasText: 'Archive' });
    // While it runs, it is reading or indexing, never failed or stopped.
    const during = await open.getByTestId('status-badge').textContent({ timeout: 60_000 });
    expect(during).toMatch(/^(reading|indexing)$/);
    await open.getByTestId('run-cancel').click();
    const done = page.getByTestId('runs-recent').getByTestId('run-card').filter({ hasText: 'Archive' }).first();
    await expect.poll(() => done.getByTestId('status-badge').textContent(), { timeout: 60_000 }).toBe('stopped');
    expect(await done.textContent()).toContain('Cancelled; documents not indexed yet are indexed by the next sync.');
    expect(await done.getByTestId('status-badge').getAttribute('data-status')).toBe('stopped');
    // Nothing works on the documents it left, and the sidebar does not pretend otherwise.
    const sidebar = page.getByTestId('sync-state');
    await expect
      .poll(() => sidebar.textContent())
      .toMatch(/^[\d,]+ documents not indexed yet: the next sync indexes them$/);
    await app.screenshot('26a-run-stopped');
    // Search says the same of them: not indexed yet, not "being indexed".
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill('');
    // The screen asks for the library's state when it opens: until the answer comes it shows its plain hint.
    const empty = page.getByTestId('search-empty');
    await expect
      .poll(() => empty.textContent())
      .toMatch(/[\d,]+ documents are not indexed yet: the next sync indexes them\./);
    expect(await empty.textContent()).not.toMatch(/being indexed/);
    await page.getByTestId('nav-history').click();
    const row = page.getByTestId('sync-log-row').filter({ hasText: 'Archive' }).first();
    expect(await row.getByTestId('status-badge').textContent()).toBe('stopped');
    // The next sync indexes them, as the run said: the files did not change, so only their indexing is left.
    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('connector-card').filter({ hasText: 'Archive' }).getByTestId('sync-now').click();
    await expect.poll(() => sidebar.textContent(), { timeout: 120_000 }).toMatch(/^Up to date/);
    const card = page.getByTestId('connector-card').filter({ hasText: 'Archive' });
    await expect.poll(() => card.getByTestId('doc-count-completed').textContent()).toBe('5,000');
  });

  it('folds syncs that found nothing into one line in Activity and Sync history, which opens to list them', async () => {
    const { page } = app;
    const archive = (await app.api.listConnectors({})).items.find((c) => c.name === 'Archive')!;
    const archiveRuns = async () =>
      (await app.api.listSyncLogs({ connectorId: archive.id, limit: 100, openOnly: false })).items;
    for (let i = 0; i < 2; i++) {
      // The cancelled run and the one after it are there already.
      const before = (await archiveRuns()).length;
      expect(before).toBeGreaterThanOrEqual(2 + i);
      await page.getByTestId('nav-connectors').click();
      await page.getByTestId('connector-card').filter({ hasText: 'Archive' }).getByTestId('sync-now').click();
      // The new run, finished: nothing in the folder changed.
      await expect
        .poll(
          async () => {
            const runs = await archiveRuns();
            return runs.length === before + 1 && runs[0]!.phase === 'done' ? runs[0]!.status : 'not yet';
          },
          { timeout: 60_000 },
        )
        .toBe('success');
    }
    await page.getByTestId('nav-activity').click();
    const recent = page.getByTestId('runs-recent').locator(':scope > li');
    const quiet = recent.first();
    await expect.poll(() => quiet.getAttribute('data-testid')).toBe('quiet-runs');
    expect(await quiet.textContent()).toMatch(/^2 syncs found nothing newArchive · latest (just now|.+ ago)/);
    // The run before them, which indexed what the cancelled one left, keeps a line of its own.
    expect(await recent.nth(1).getAttribute('data-testid')).toBe('run-card');
    await quiet.getByTestId('quiet-runs-expand').click();
    const folded = quiet.getByTestId('quiet-runs-list').getByTestId('run-card');
    await expect.poll(() => folded.count()).toBe(2);
    for (const text of await folded.allTextContents()) expect(text).toMatch(/^Archive.*0 new · 0 updated · 0 removed/);
    // Another sync that finds nothing joins the open row at the top, and the row stays open.
    await app.api.syncConnector({ connectorId: archive.id, mode: 'incremental' });
    await expect.poll(() => quiet.getAttribute('data-runs'), { timeout: 60_000 }).toBe('3');
    await expect.poll(() => folded.count()).toBe(3);
    expect(await quiet.getByTestId('quiet-runs-expand').getAttribute('aria-expanded')).toBe('true');
    await app.screenshot('26b-activity-quiet-runs');

    // Sync history folds them the same way: one row, its runs listed under it when opened.
    await page.getByTestId('nav-history').click();
    const table = page.getByTestId('sync-log-table');
    const quietRow = table.getByTestId('quiet-runs').first();
    await expect.poll(() => quietRow.getAttribute('data-runs')).toBe('3');
    expect(await table.locator('tbody > tr').first().getAttribute('data-testid')).toBe('quiet-runs');
    // "since …" only when the first of them started in another minute than the last.
    expect(await quietRow.textContent()).toMatch(/^.+Archive3 syncs found nothing new (since .+)?Show$/);
    // The run that indexed what the cancelled one left is the next row, a run of its own.
    expect(await table.locator('tbody > tr').nth(1).getAttribute('data-testid')).toBe('sync-log-row');
    const nested = table.locator('tr.nested-row');
    expect(await nested.count()).toBe(0);
    await quietRow.getByTestId('quiet-runs-expand').click();
    await expect.poll(() => nested.count()).toBe(3);
    for (const text of await nested.allTextContents()) expect(text).toMatch(/^.+ArchiveSync.+success00000$/);
    await app.screenshot('26c-history-quiet-runs');
    // Each listed run still opens its details.
    await nested.first().click();
    const detail = page.getByTestId('sync-log-detail');
    await expect.poll(() => detail.textContent()).toMatch(/0 new, 0 updated, 0 deleted, 0 skipped, 0 failed/);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });

  it('turns semantic search on from the Search screen: download with progress and size, then the chosen mode runs', async () => {
    const { page } = app;
    await page.getByTestId('nav-search').click();
    const setup = page.getByTestId('semantic-setup');
    await expect.poll(() => setup.getAttribute('data-state')).toBe('model_not_downloaded');
    expect(await page.getByTestId('semantic-download').textContent()).toMatch(/Download \(23\s?MB\)/);
    expect(await page.getByTestId('mode-semantic').isDisabled()).toBe(true);
    expect(await page.getByTestId('mode-hybrid').isDisabled()).toBe(true);
    await page.getByTestId('search-input').fill('lighthouse');
    await expect.poll(() => page.getByTestId('result-meta').getAttribute('data-mode')).toBe('keyword');
    expect(await page.getByTestId('mode-keyword').getAttribute('aria-checked')).toBe('true');
    await app.screenshot('27-search-needs-model');

    await page.getByTestId('semantic-download').click();
    await setup.waitFor({ state: 'detached', timeout: 90_000 });
    expect(await page.getByTestId('mode-hybrid').isDisabled()).toBe(false);
    // The chosen mode (hybrid, the default) runs now, and the results line says so.
    await page.getByTestId('search-input').fill('lighthouse budget');
    await expect
      .poll(() => page.getByTestId('result-meta').getAttribute('data-mode'), { timeout: 30_000 })
      .toBe('hybrid');
    // The chosen mode is kept across screens and reloads.
    await page.getByTestId('mode-semantic').click();
    await page.getByTestId('nav-connectors').click();
    await page.reload();
    await page.getByTestId('nav-search').click();
    await expect.poll(() => page.getByTestId('mode-semantic').getAttribute('aria-checked')).toBe('true');
    await app.screenshot('28-search-semantic');
  });

  it('connects Google Drive from the app: client in Settings, consent, first sync', async () => {
    const { page } = app;
    // Add source › Google Drive without a client is not a dead end: it asks for it right there.
    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('add-connector').click();
    await page.getByTestId('kind-google_drive').click();
    await page.getByTestId('drive-needs-client').waitFor();
    await app.screenshot('29-drive-needs-client');
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('google-client-section');
    await section.getByTestId('google-client-id').fill(oauth.clientId);
    await section.getByTestId('google-client-secret').fill(oauth.clientSecret);
    await section.getByTestId('google-client-save').click();
    await expect
      .poll(() => section.getByTestId('google-client-status').textContent())
      .toMatch(/secret in the keychain/);
    expect(await page.content()).not.toContain(oauth.clientSecret);
    await app.screenshot('30-settings-google');

    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('add-connector').click();
    await page.getByTestId('kind-google_drive').click();
    const popup = page.waitForEvent('popup');
    await page.getByTestId('drive-connect').click();
    // The consent page (the fake consents at once) redirects to Trove's one-shot loopback listener.
    await (await popup).waitForLoadState();
    const card = page.getByTestId('connector-card').filter({ hasText: 'Google Drive' });
    await card.waitFor({ timeout: 60_000 });
    await expect.poll(() => card.getByTestId('doc-count-completed').textContent(), { timeout: 60_000 }).toBe('2');
    expect(oauth.codeGrants).toBe(1);
    await app.screenshot('31-drive-connected');
  });
});
