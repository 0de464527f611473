/**
 * What the sidebar says WHILE a scanned PDF is read: after the folder's run
 * ends, OCR still works on the scan (its work belongs to no run). The
 * screen must say so, in documents, and say "Up to date" only once the
 * scan's words are searchable.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScannedPdfFrom, PROSE, renderPage } from '../fixtures/ocr-pages';
import { startE2EApp, type E2EApp } from './harness';

let app: E2EApp;
let folder: string;

beforeAll(async () => {
  app = await startE2EApp();
  folder = path.join(app.filesDir, 'Minutes');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'agenda.md'), '# Agenda\n\nApologies, minutes, any other business.\n');
  const scan = await makeScannedPdfFrom([
    { image: renderPage(PROSE.slice(0, 2), { dpi: 200 }) },
    { image: renderPage(PROSE.slice(2, 4), { dpi: 200 }) },
  ]);
  await writeFile(path.join(folder, 'minutes-scan.pdf'), scan);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('a scanned document being read', () => {
  it('is named in the sidebar while OCR reads it, then "Up to date" once its words are found', async () => {
    const { page } = app;
    await app.api.addLocalFolder({ path: folder, name: 'Minutes' });
    const frames: Array<{ text: string; found: boolean }> = [];
    const deadline = Date.now() + 120_000;
    for (;;) {
      const text = ((await page.getByTestId('sync-state').textContent()) ?? '').trim();
      // Read after the screen: what the screen says can only be older than the index.
      const found = (await app.api.search({ query: 'quarterly budget', mode: 'keyword', limit: 5 })).groups.length > 0;
      frames.push({ text, found });
      if ((text === 'Up to date' && found) || Date.now() > deadline) break;
      if (text.startsWith('Reading the text') && !frames.slice(0, -1).some((f) => f.text === text)) {
        await app.screenshot('scan-progress-under-way');
      }
      await page.waitForTimeout(100);
    }
    expect(frames.some((f) => f.text === 'Reading the text of 1 scanned document')).toBe(true);
    // Never "background upkeep": the person is told what is being done.
    expect(frames.some((f) => f.text === 'Background upkeep…')).toBe(false);
    // Once the work has shown, "Up to date" only when the scan's words are found (the first
    // frames may still show the screen from before the folder was added).
    const shown = frames.findIndex((f) => f.text !== 'Up to date');
    expect(shown).toBeGreaterThanOrEqual(0);
    for (const frame of frames.slice(shown)) if (frame.text === 'Up to date') expect(frame.found).toBe(true);
    expect(frames.at(-1)).toEqual({ text: 'Up to date', found: true });
  }, 150_000);
});
