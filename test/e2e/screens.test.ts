/**
 * Every screen at the two window sizes people use most (1280x800 and a
 * narrow 900x700), light and dark, with real content: nothing may overflow
 * sideways, and each leaves a screenshot (test-results/screenshots/screens-*)
 * to look at.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Screen } from '../../src/shared/contract';
import { makeGarbagePdf } from '../fixtures/documents';
import { accessibilityFaults } from './accessibility';
import { startE2EApp, type E2EApp } from './harness';
import { writeMarkdownCorpus } from './markdown-corpus';

let app: E2EApp;

beforeAll(async () => {
  app = await startE2EApp();
  const notes = path.join(app.filesDir, 'Research notes with a rather long folder name');
  await writeMarkdownCorpus(notes, 60);
  await app.api.addLocalFolder({ path: notes });
  const imports = path.join(app.filesDir, 'imports');
  await mkdir(imports, { recursive: true });
  const broken = path.join(imports, 'a-very-long-file-name-of-a-scanned-quarterly-report-2026-final-v3.pdf');
  await writeFile(broken, makeGarbagePdf());
  await writeFile(path.join(imports, 'minutes.md'), '# Minutes\n\nThe committee approved the budget.\n');
  await app.api.importPaths({ paths: [broken, path.join(imports, 'minutes.md')] });
  // Wait for both runs to end, so every screen has history, failures and notifications.
  for (;;) {
    const open = await app.api.listSyncLogs({ openOnly: true, limit: 5 });
    const all = await app.api.listSyncLogs({ openOnly: false, limit: 5 });
    if (open.items.length === 0 && all.items.length >= 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  await app?.close();
});

const SCREENS: Screen[] = ['search', 'connectors', 'history', 'activity', 'import', 'notifications', 'settings'];

describe('every screen, light and dark, wide and narrow', () => {
  for (const size of [
    { width: 1280, height: 800 },
    { width: 900, height: 700 },
  ]) {
    for (const theme of ['light', 'dark'] as const) {
      it(`${size.width}x${size.height} ${theme}`, async () => {
        const { page } = app;
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: theme });
        for (const screen of SCREENS) {
          await page.getByTestId(`nav-${screen}`).click();
          await page.getByTestId(`screen-${screen}`).waitFor();
          if (screen === 'search') await page.getByTestId('search-input').fill('budget');
          await page.waitForTimeout(400);
          const overflow = await page.evaluate(() => {
            const d = (
              globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
            ).document.documentElement;
            return d.scrollWidth - d.clientWidth;
          });
          expect(overflow, `${screen} overflows sideways`).toBeLessThanOrEqual(0);
          await app.screenshot(`screens-${size.width}x${size.height}-${theme}-${screen}`);
        }
        // The dialogs people open from these screens.
        await page.getByTestId('nav-connectors').click();
        await page
          .getByTestId('connector-card')
          .filter({ hasText: 'Imported files' })
          .getByTestId('show-failed')
          .click();
        await page.getByTestId('failures-dialog').waitFor();
        await app.screenshot(`screens-${size.width}x${size.height}-${theme}-failures-dialog`);
        await page.keyboard.press('Escape');
        await page.getByTestId('add-connector').click();
        await page.getByTestId('add-connector-dialog').waitFor();
        await app.screenshot(`screens-${size.width}x${size.height}-${theme}-add-folder`);
        await page.getByTestId('kind-google_drive').click();
        await app.screenshot(`screens-${size.width}x${size.height}-${theme}-add-drive`);
        await page.keyboard.press('Escape');
        await page.getByTestId('nav-history').click();
        await page.getByTestId('sync-log-row').filter({ hasText: 'Imported files' }).first().click();
        await page.getByTestId('sync-log-detail').waitFor();
        await app.screenshot(`screens-${size.width}x${size.height}-${theme}-run-detail`);
        await page.keyboard.press('Escape');
      });
    }
  }
});

describe('accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`every screen and dialog, ${theme}, breaks none of axe-core's rules`, async () => {
      const { page } = app;
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      const faults: Record<string, string[]> = {};
      const check = async (name: string) => {
        const found = await accessibilityFaults(page);
        if (found.length > 0) faults[name] = found;
      };
      for (const screen of SCREENS) {
        await page.getByTestId(`nav-${screen}`).click();
        await page.getByTestId(`screen-${screen}`).waitFor();
        if (screen === 'search') {
          // Results with their mouse controls, and the preview pane open on the first.
          await page.getByTestId('search-input').fill('budget');
          await page.getByTestId('search-result').first().waitFor();
          await page.getByTestId('search-input').press('ArrowDown');
          await page.getByTestId('search-input').press('ArrowRight');
          await page.getByTestId('preview').waitFor();
        }
        await check(screen);
      }
      await page.getByTestId('nav-connectors').click();
      await page.getByTestId('add-connector').click();
      await page.getByTestId('add-connector-dialog').waitFor();
      await check('add folder');
      await page.getByTestId('kind-google_drive').click();
      await check('add drive');
      await page.keyboard.press('Escape');
      await page.getByTestId('connector-card').filter({ hasText: 'Imported files' }).getByTestId('show-failed').click();
      await page.getByTestId('failures-dialog').waitFor();
      await check('failed files');
      await page.keyboard.press('Escape');
      expect(faults).toEqual({});
    });
  }
});
