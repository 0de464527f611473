/**
 * The app is open when the person types `trove add-folder` in a terminal on
 * the same library. The window must show the folder and its sync while the
 * CLI works, without a reload, and keep the folder indexed once the CLI is
 * gone. Before, the window showed nothing until the app was restarted.
 */
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrove } from '../cli/run-trove';
import { startE2EApp, type E2EApp } from './harness';
import { writeMarkdownCorpus } from './markdown-corpus';

const FILES = 1200;

let app: E2EApp;
let folder: string;

beforeAll(async () => {
  app = await startE2EApp({ core: { outsideWritesPollMs: 250 } });
  folder = path.join(app.filesDir, 'Journal');
  await writeMarkdownCorpus(folder, FILES);
});

afterAll(async () => {
  await app?.close();
});

describe('the window beside the CLI', () => {
  it('shows a folder the CLI adds, its sync under way, and then keeps it indexed', async () => {
    const { page } = app;
    await page.getByTestId('nav-connectors').click();
    await expect.poll(() => page.getByTestId('connectors-empty').count()).toBe(1);

    const cli = startTrove(app.dataDir, ['add-folder', folder]);
    const card = page.getByTestId('connector-card').filter({ hasText: 'Journal' });
    await card.waitFor({ timeout: 30_000 });
    // Read while the CLI still works: the card shows the CLI's run moving.
    const progress = card.getByTestId('connector-progress');
    await progress.waitFor({ timeout: 30_000 });
    const text = (await progress.getByTestId('run-progress-text').textContent()) ?? '';
    expect(cli.child.exitCode).toBeNull();
    expect(text).toMatch(/Listing|indexed|Indexing|Reading|files/i);
    await app.screenshot('30-beside-the-cli-under-way');

    const finished = await cli.done;
    expect(finished.code, finished.stderr).toBe(0);
    await expect
      .poll(
        async () =>
          `${await card.getByTestId('doc-count-completed').textContent()}|${await card.getByTestId('connector-progress').count()}`,
        { timeout: 30_000, interval: 200 },
      )
      .toBe(`${FILES.toLocaleString('en')}|0`);

    // Saved after the CLI is gone: the app's own watch indexes it, and search shows it.
    await writeFile(path.join(folder, 'heron.md'), '# Heron\n\nA kwheronzq stood in the shallows at dusk.\n');
    await expect
      .poll(() => card.getByTestId('doc-count-completed').textContent(), { timeout: 30_000, interval: 250 })
      .toBe((FILES + 1).toLocaleString('en'));
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill('kwheronzq');
    await expect
      .poll(() => page.getByTestId('search-result').first().locator('.result-title').innerText(), { timeout: 15_000 })
      .toBe('Heron');
    await app.screenshot('31-beside-the-cli-kept-indexed');
  }, 180_000);
});
