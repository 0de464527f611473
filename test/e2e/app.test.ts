/**
 * The "Must show" flows, in the browser mode, in the system Chromium.
 * Each flow leaves a screenshot of its screen in test-results/screenshots/.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/documents';
import { startE2EApp, type E2EApp } from './harness';

// This file compiles without the DOM library, so in-page code reaches the
// browser's globals through this small declared shape. (Strings would be
// simpler but the app's CSP rightly forbids evaluating them.)
type PageGlobals = {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  DragEvent: new (type: string, init: Record<string, unknown>) => unknown;
  dispatchEvent(event: unknown): boolean;
  atob(text: string): string;
};

/** Waits until the connector card shows `completed` documents and no running sync. */
async function waitForConnectorSettled(name: string, completed: number): Promise<void> {
  const card = app.page.getByTestId('connector-card').filter({ hasText: name });
  await expect
    .poll(
      async () =>
        `${await card.getByTestId('doc-count-completed').textContent()}|${await card.getByTestId('connector-progress').count()}`,
      { timeout: 60_000, interval: 200 },
    )
    .toBe(`${completed}|0`);
}

let app: E2EApp;
let notesDir: string;

beforeAll(async () => {
  app = await startE2EApp();
  notesDir = path.join(app.filesDir, 'notes');
  await mkdir(notesDir, { recursive: true });
  await writeFile(
    path.join(notesDir, 'compost.md'),
    '# Garden\n\nCompost needs a balance of greens and browns, kept moist like a wrung-out sponge.\n',
  );
  await writeFile(
    path.join(notesDir, 'bread.md'),
    '# Baking\n\nA sourdough starter is fed with flour and water every day until it doubles.\n',
  );
  await writeFile(path.join(notesDir, 'travel.txt'), 'Pack light: the night train to Vienna leaves at nine.\n');
});

// A failed flow leaves a picture of what the person would have seen.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && app) {
    await app
      .screenshot(`FAILED-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`)
      .catch(() => undefined);
  }
});

afterAll(async () => {
  await app?.close();
});

describe('Trove in the browser', () => {
  it('shows an empty state that says what to do on a fresh data folder', async () => {
    const { page } = app;
    await page.getByTestId('nav-connectors').click();
    await expect.poll(() => page.getByTestId('connectors-empty').textContent()).toContain('Add a local folder');
    await app.screenshot('01-connectors-empty');
  });

  it('adds a local folder and shows its sync reaching done', async () => {
    const { page } = app;
    await page.getByTestId('add-connector').click();
    await page.getByTestId('folder-path').fill(notesDir);
    await page.getByTestId('folder-name').fill('Notes');
    await page.getByTestId('add-folder-submit').click();
    const card = page.getByTestId('connector-card').filter({ hasText: 'Notes' });
    await card.waitFor();
    // Done = three documents completed and no sync running any more.
    await waitForConnectorSettled('Notes', 3);
    await expect.poll(() => card.getByTestId('last-sync').textContent()).not.toBe('never');
    await app.screenshot('02-connectors');
  });

  it('searches as you type, highlights the match and opens the source', async () => {
    const { page } = app;
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('sourdough starter');
    const result = page.getByTestId('search-result').filter({ hasText: 'bread' });
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.locator('mark').first().textContent()).toMatch(/sourdough|starter/i);
    // A fresh data folder has no embedding model yet: the page says search is keyword-only, and offers the model.
    await expect.poll(() => page.getByTestId('semantic-setup').textContent()).toMatch(/keyword/i);
    expect(await page.getByTestId('result-meta').getAttribute('data-mode')).toBe('keyword');
    await app.screenshot('03-search');
    // A browser page cannot open local files itself: the server hands over the indexed original in a new tab.
    const [tab] = await Promise.all([app.context.waitForEvent('page'), result.getByTestId('open-source').click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/\/api\/original\?document=/);
    await expect.poll(() => tab.locator('body').innerText()).toMatch(/sourdough starter/i);
    await tab.close();
  });

  it('imports dropped files, explains why a corrupt one failed and what a cut one still holds', async () => {
    const { page } = app;
    // A PDF whose download stopped before its last bytes: the cross-reference at its end is gone.
    const whole = await (
      await import('pdf-lib')
    ).PDFDocument.load(
      await makePdf(['Compost needs air.', 'Turn the heap weekly.', 'Keep it as damp as a wrung sponge.']),
    );
    const flat = await whole.save({ useObjectStreams: false });
    const cut = flat.slice(0, Math.floor(flat.length * 0.9));
    const files = [
      { name: 'compost-guide.pdf', type: 'application/pdf', base64: Buffer.from(cut).toString('base64') },
      {
        name: 'recipe.md',
        type: 'text/markdown',
        base64: Buffer.from('# Soup\n\nLeek and potato soup, blended smooth.\n').toString('base64'),
      },
      {
        name: 'broken.pdf',
        type: 'application/pdf',
        base64: Buffer.from('this is not really a PDF').toString('base64'),
      },
      { name: 'song.mp3', type: 'audio/mpeg', base64: Buffer.from('ID3 not words').toString('base64') },
    ];
    await page.getByTestId('nav-import').click();
    await page.evaluate((payload) => {
      const g = globalThis as unknown as PageGlobals;
      const transfer = new g.DataTransfer();
      for (const f of payload) {
        const bytes = Uint8Array.from(g.atob(f.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new g.File([bytes], f.name, { type: f.type }));
      }
      g.dispatchEvent(new g.DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      g.dispatchEvent(new g.DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, files);
    await page.waitForSelector('[data-testid="import-summary"][data-done="true"]', { timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toMatch(/^2 new \(1 read in part\) · 1 skipped · 1 failed · /);
    expect(await page.getByTestId('import-title').textContent()).toBe('Import finished, with problems');
    const broken = page.getByTestId('import-file-row').filter({ hasText: 'broken.pdf' });
    await expect.poll(() => broken.getAttribute('data-status')).toBe('error');
    await expect.poll(() => broken.getByTestId('import-file-reason').textContent()).toMatch(/pdf/i);
    const recipe = page.getByTestId('import-file-row').filter({ hasText: 'recipe.md' });
    await expect.poll(() => recipe.getAttribute('data-status')).toBe('completed');
    const guide = page.getByTestId('import-file-row').filter({ hasText: 'compost-guide.pdf' });
    await expect.poll(() => guide.getAttribute('data-status')).toBe('completed');
    expect(await guide.getByTestId('status-badge').textContent()).toBe('imported in part');
    expect(await guide.getByTestId('import-file-reason').textContent()).toMatch(
      /^\d+ passages? indexed\. This PDF ends early, as an interrupted download or copy does: Trove indexed the 3 pages it could read\.$/,
    );
    await app.screenshot('04-import');
    // "Only problems" lists the file read in part with the failed and skipped ones.
    await page.getByTestId('import-problems-only').check();
    await expect
      .poll(() => page.getByTestId('import-file-row').locator('td:first-child').allTextContents())
      .toEqual(['broken.pdf', 'song.mp3', 'compost-guide.pdf']);
    await page.getByTestId('import-problems-only').uncheck();
    // Activity's file list of the import run says the same of it.
    await page.getByTestId('nav-activity').click();
    const importRun = page.getByTestId('run-card').filter({ hasText: 'Imported files' }).first();
    await importRun.getByTestId('run-expand').click();
    const guideRow = importRun.getByTestId('run-documents').locator('tr').filter({ hasText: 'compost-guide.pdf' });
    await expect.poll(() => guideRow.getByTestId('status-badge').textContent()).toBe('indexed in part');
    expect(await guideRow.textContent()).toMatch(/This PDF ends early, as an interrupted download or copy does/);
    await app.screenshot('04b-activity-read-in-part');
    await page.getByTestId('nav-import').click();
    // Search counts the broken file among what it cannot find yet, and not the song, which Trove does not read.
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill('');
    const note = page.getByTestId('search-empty');
    await expect.poll(() => note.textContent()).toContain('1 document could not be indexed: Activity says why.');
    expect(await note.textContent()).not.toMatch(/still being indexed|song/);
  });

  it('shows a failed sync in Activity and retries it', async () => {
    const { page } = app;
    const goneDir = path.join(app.filesDir, 'soon-gone');
    await mkdir(goneDir, { recursive: true });
    await writeFile(path.join(goneDir, 'a.md'), '# A\n\nAlpha.\n');
    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('add-connector').click();
    await page.getByTestId('folder-path').fill(goneDir);
    await page.getByTestId('folder-name').fill('Soon gone');
    await page.getByTestId('add-folder-submit').click();
    const card = page.getByTestId('connector-card').filter({ hasText: 'Soon gone' });
    await waitForConnectorSettled('Soon gone', 1);
    await rm(goneDir, { recursive: true, force: true });
    await card.getByTestId('sync-now').click();

    await page.getByTestId('nav-activity').click();
    const failed = page.getByTestId('jobs-other').locator('[data-testid="job-row"][data-job-status="failed"]').first();
    await failed.waitFor({ timeout: 90_000 });
    // Named for people, not by the internal job type.
    expect(await failed.textContent()).toMatch(/Sync Soon gone/);
    expect(await failed.textContent()).not.toMatch(/sync_connector/);
    await expect.poll(() => failed.getByTestId('job-error').textContent()).toMatch(/\S/);
    await app.screenshot('05-activity');

    await mkdir(goneDir, { recursive: true });
    await writeFile(path.join(goneDir, 'a.md'), '# A\n\nAlpha again.\n');
    await failed.getByTestId('job-retry').click();
    await page
      .locator('[data-testid="jobs-other"] [data-job-status="failed"]')
      .first()
      .waitFor({ state: 'detached', timeout: 90_000 });
    await app.screenshot('05a-activity-runs');
    await page.getByTestId('tab-failures').click();
    await app.screenshot('05b-activity-document-failures');
  });

  it('leaves out what a project’s .gitignore ignores, and indexes it once told to, keeping the default exclusions', async () => {
    const { page } = app;
    const projectDir = path.join(app.filesDir, 'project');
    await mkdir(path.join(projectDir, 'build'), { recursive: true });
    await writeFile(path.join(projectDir, '.gitignore'), 'build/\n');
    await writeFile(path.join(projectDir, 'README.md'), '# Project\n\nHow the kiln schedule is planned.\n');
    await writeFile(path.join(projectDir, 'build', 'bundle.md'), '# Bundle\n\nGenerated kiln schedule.\n');
    await mkdir(path.join(projectDir, 'node_modules', 'kiln'), { recursive: true });
    await writeFile(path.join(projectDir, 'node_modules', 'kiln', 'README.md'), '# kiln\n\nA dependency.\n');
    await page.getByTestId('nav-connectors').click();

    // The add dialog says what will be skipped: the default junk list, shown, and .gitignore rules.
    await page.getByTestId('add-connector').click();
    expect(await page.getByTestId('respect-gitignore').isChecked()).toBe(true);
    expect(await page.getByTestId('glob-exclude').inputValue()).toContain('**/node_modules/**');
    await page.keyboard.press('Escape');

    // Added as the CLI adds it (no lists of its own): README.md, nothing under build/ (nor the hidden .gitignore).
    const { connector } = await app.api.addLocalFolder({ path: projectDir, name: 'Project' });
    await waitForConnectorSettled('Project', 1);

    const card = page.getByTestId('connector-card').filter({ hasText: 'Project' });
    await card.getByTestId('edit').click();
    const dialog = page.getByTestId('edit-connector-dialog');
    expect(await dialog.getByTestId('respect-gitignore').isChecked()).toBe(true);
    // The defaults in force are shown, so saving keeps them.
    expect(await dialog.getByTestId('glob-exclude').inputValue()).toContain('**/node_modules/**');
    await dialog.getByTestId('respect-gitignore').uncheck();
    await app.screenshot('05c-folder-settings-gitignore');
    await dialog.getByTestId('edit-save').click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByTestId('sync-now').click();
    // build/bundle.md now, and still nothing from node_modules.
    await waitForConnectorSettled('Project', 2);
    const indexed = await app.api.listDocuments({ connectorId: connector.id, sort: 'title', limit: 10, offset: 0 });
    expect(indexed.items.map((d) => d.title).sort()).toEqual(['README.md', 'bundle.md']);
    await card.getByTestId('edit').click();
    expect(await page.getByTestId('edit-connector-dialog').getByTestId('respect-gitignore').isChecked()).toBe(false);
    await page.keyboard.press('Escape');
  });

  it('takes a folder’s new place after it moved, and keeps what was indexed', async () => {
    const { page } = app;
    const before = path.join(app.filesDir, 'field-notes');
    const after = path.join(app.filesDir, 'archive', 'field-notes');
    await mkdir(before, { recursive: true });
    await writeFile(path.join(before, 'heron.md'), '# Heron\n\nA grey heron by the weir.\n');
    await writeFile(path.join(before, 'otter.md'), '# Otter\n\nOtter tracks in the mud.\n');
    const { connector } = await app.api.addLocalFolder({ path: before, name: 'Field notes' });
    await page.getByTestId('nav-connectors').click();
    await waitForConnectorSettled('Field notes', 2);

    await mkdir(path.dirname(after), { recursive: true });
    await rename(before, after);
    const card = page.getByTestId('connector-card').filter({ hasText: 'Field notes' });
    await card.getByTestId('sync-now').click();
    await expect
      .poll(() => card.getByTestId('connector-error').textContent(), { timeout: 30_000 })
      .toBe(`The folder ${before} does not exist or cannot be read.`);

    await card.getByTestId('edit').click();
    const dialog = page.getByTestId('edit-connector-dialog');
    await dialog.getByTestId('edit-path').fill(after);
    await dialog.getByTestId('edit-save').click();
    await dialog.waitFor({ state: 'detached' });
    // The card says where the folder is now, and that all is well, with the same two documents.
    await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain(after);
    await expect.poll(() => card.getByTestId('connector-error').count(), { timeout: 30_000 }).toBe(0);
    await waitForConnectorSettled('Field notes', 2);
    const indexed = await app.api.listDocuments({ connectorId: connector.id, sort: 'title', limit: 10, offset: 0 });
    expect(indexed.items.map((d) => d.path).sort()).toEqual([
      path.join(after, 'heron.md'),
      path.join(after, 'otter.md'),
    ]);
  });

  it('lists the sync runs in the history with a chart and error details', async () => {
    const { page } = app;
    await page.getByTestId('nav-history').click();
    const rows = page.getByTestId('sync-log-row');
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const chartSynced = () =>
      page
        .getByTestId('chart-bar')
        .evaluateAll((bars) => bars.reduce((n, b) => n + Number(b.getAttribute('data-synced')), 0));
    await expect.poll(chartSynced).toBeGreaterThanOrEqual(3);
    await app.screenshot('06-history');
    // The window's default width (1240) and its narrowest (880): every column shown fits, Failed among them.
    const sideways = () => page.locator('.table-scroll').evaluate((box) => box.scrollWidth - box.clientWidth);
    for (const width of [1240, 880]) {
      await page.setViewportSize({ width, height: 820 });
      expect(await sideways(), `at ${width} px`).toBeLessThanOrEqual(0);
      expect(await page.getByRole('columnheader', { name: 'Failed' }).isVisible(), `at ${width} px`).toBe(true);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await rows.filter({ hasText: 'Soon gone' }).filter({ hasText: 'failed' }).first().click();
    await expect.poll(() => page.getByTestId('sync-log-detail').textContent()).toMatch(/Soon gone/);
    await page.keyboard.press('Escape');
  });

  it('changes settings: relay URL and a masked Gemini key', async () => {
    const { page } = app;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('relay-url').fill('https://relay.example.com');
    await page.getByTestId('relay-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.getByTestId('provider-gemini').click();
    await page.getByTestId('settings-saved').waitFor();
    // Gemini without a key: the Search screen says exactly that and takes the key right there.
    await page.getByTestId('nav-search').click();
    await expect.poll(() => page.getByTestId('semantic-setup').getAttribute('data-state')).toBe('gemini_key_missing');
    expect(await page.getByTestId('semantic-setup').getByTestId('gemini-key').count()).toBe(1);
    await app.screenshot('07a-search-gemini-key-missing');
    await page.getByTestId('nav-settings').click();
    // The Search screen had a key field too: fill Settings' own, once Settings is on screen.
    await page.getByTestId('relay-url').waitFor();
    await page.getByTestId('gemini-key').fill('AIzaSyTESTKEY-1234abcd');
    await page.getByTestId('gemini-key-save').click();
    await expect.poll(() => page.getByTestId('gemini-key-status').textContent()).toContain('abcd');
    // The key never comes back in full.
    const html = await page.content();
    expect(html).not.toContain('AIzaSyTESTKEY');
    await app.screenshot('07-settings');
    await page.reload();
    await page.getByTestId('relay-url').waitFor();
    await expect.poll(() => page.getByTestId('relay-url').inputValue()).toBe('https://relay.example.com');
  });

  it('shows notifications from the events feed', async () => {
    const { page } = app;
    await page.getByTestId('nav-notifications').click();
    await page.getByTestId('notification').first().waitFor({ timeout: 30_000 });
    await app.screenshot('08-notifications');
    // The sidebar counts the unread ones, and "Mark all read" clears the count there too, not only on the cards.
    const unread = Number(await page.getByTestId('unread-count').textContent());
    expect(unread).toBeGreaterThan(0);
    expect(await page.locator('.notification-unread').count()).toBeGreaterThan(0);
    await page.getByTestId('mark-all-read').click();
    await expect.poll(() => page.getByTestId('unread-count').count()).toBe(0);
    await expect.poll(() => page.locator('.notification-unread').count()).toBe(0);
    expect(await page.getByTestId('mark-all-read').count()).toBe(0);
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('nav-search').click();
    await app.screenshot('09-search-dark');
  });

  it('keeps the access token out of the address bar and out of page scripts, and refuses calls without a session', async () => {
    const { page } = app;
    expect(page.url()).not.toContain('token=');
    // The session cookie is HttpOnly: page scripts cannot read it.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe(
      '',
    );
    const origin = new URL(app.url).origin;
    const call = (base: string) =>
      fetch(`${base}/api/listConnectors`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      }).then((r) => r.status);
    expect(await page.evaluate(call, origin)).toBe(200);
    // From outside the browser (no cookie) the same call is refused.
    expect(await call(origin)).toBe(401);
  });
});
