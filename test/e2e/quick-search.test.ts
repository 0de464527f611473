/**
 * The quick-search route (`#/quick`, issue 18) in Chromium: the page the
 * desktop app's floating window loads. Typing searches, the arrows choose,
 * Enter opens the original, Esc clears (the desktop window then hides; a
 * browser has no window to hide).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityFaults } from './accessibility';
import { startE2EApp, type E2EApp } from './harness';

const SHOTS = process.env.SEARCH_UI_SHOTS ?? '/tmp/search-ui-shots';
let app: E2EApp;
let quick: Page;

beforeAll(async () => {
  app = await startE2EApp();
  await mkdir(SHOTS, { recursive: true });
  const notes = path.join(app.filesDir, 'notes');
  await mkdir(notes, { recursive: true });
  await writeFile(
    path.join(notes, 'kayak.md'),
    '# Kayak checklist\n\nPaddle, spray deck and a dry bag for the lake.\n',
  );
  await writeFile(path.join(notes, 'canoe.md'), '# Canoe trip\n\nThe lake crossing takes an hour by canoe.\n');
  await writeFile(path.join(notes, 'tent.md'), '# Tent repair\n\nA lake breeze tore the fly sheet.\n');
  await app.api.addLocalFolder({ path: notes, name: 'Outdoors' });
  for (let waited = 0; (await app.api.searchStatus({})).indexedDocuments < 3; waited += 100) {
    if (waited > 60_000) throw new Error('The fixtures were not indexed within a minute.');
    await new Promise((r) => setTimeout(r, 100));
  }
  quick = await app.context.newPage();
  await quick.setViewportSize({ width: 720, height: 460 });
  await quick.goto(`${app.origin}/#/quick`);
  await quick.getByTestId('quick-search').waitFor();
});

afterAll(async () => {
  await app?.close();
});

const selected = () => quick.locator('[role="option"][aria-selected="true"] .result-title').innerText();

describe('quick search window', () => {
  it('searches as you type, says so while it waits, chooses with the arrows and opens with Enter', async () => {
    const box = quick.getByTestId('quick-input');
    expect(
      await quick.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id,
      ),
    ).toBe('quick-input');
    expect(await quick.getByTestId('quick-status').innerText()).toMatch(/Type to search/);
    await quick.route('**/api/search', async (route) => {
      await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    await box.fill('lake');
    await expect.poll(() => quick.getByTestId('quick-status').innerText()).toBe('Searching…');
    await quick.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => quick.getByTestId('search-result').count()).toBe(3);
    for (const theme of ['light', 'dark'] as const) {
      await quick.emulateMedia({ colorScheme: theme });
      await quick.screenshot({ path: path.join(SHOTS, `07-quick-${theme}.png`) });
      expect({ theme, faults: await accessibilityFaults(quick) }).toEqual({ theme, faults: [] });
    }
    const first = await selected();
    await box.press('ArrowDown');
    const second = await selected();
    expect(second).not.toBe(first);
    expect(await quick.getByTestId('quick-status').innerText()).toContain(second);
    await box.press('ArrowUp');
    expect(await selected()).toBe(first);

    const [tab, request] = await Promise.all([
      app.context.waitForEvent('page'),
      app.context.waitForEvent('request', (r) => r.url().includes('/api/original')),
      box.press('Enter'),
    ]);
    expect((await request.response())?.status()).toBe(200);
    expect(await (await request.response())?.text()).toContain(first.split(' ')[0]!);
    await tab.close();
  });

  it('clears with Esc and stays usable', async () => {
    const box = quick.getByTestId('quick-input');
    await box.fill('canoe');
    await expect.poll(() => selected()).toBe('Canoe trip');
    await box.press('Escape');
    expect(await box.inputValue()).toBe('');
    await expect.poll(() => quick.getByTestId('search-result').count()).toBe(0);
    // Nothing left to clear: the desktop window would hide; the page stays as it is.
    await box.press('Escape');
    expect(await quick.getByTestId('quick-status').innerText()).toMatch(/Type to search/);
  });
});
