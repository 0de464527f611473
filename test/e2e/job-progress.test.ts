/**
 * What Activity says WHILE work that belongs to no run goes on: reading a
 * scan's pages with OCR is listed under "Other work", and its card must
 * show how far it is (page by page, with a bar that only moves forward),
 * not just "running", until it is done and leaves the list.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScannedPdfFrom, PROSE, renderPage } from '../fixtures/ocr-pages';
import { startE2EApp, type E2EApp } from './harness';

const PAGES = 3;

let app: E2EApp;
let folder: string;

beforeAll(async () => {
  app = await startE2EApp();
  folder = path.join(app.filesDir, 'Board');
  await mkdir(folder, { recursive: true });
  const scan = await makeScannedPdfFrom(
    Array.from({ length: PAGES }, (_, i) => ({
      image: renderPage(PROSE.slice(i % (PROSE.length - 1), (i % (PROSE.length - 1)) + 2), { dpi: 200 }),
    })),
  );
  await writeFile(path.join(folder, 'board-minutes.pdf'), scan);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

interface Frame {
  label: string;
  text: string;
  bar: string;
}

describe('a background job under way', () => {
  it('shows its progress on its card while it runs, then leaves the list once done', async () => {
    const { page } = app;
    await page.getByTestId('nav-activity').click();
    await app.api.addLocalFolder({ path: folder, name: 'Board' });
    const card = page
      .getByTestId('jobs-other')
      .getByTestId('job-row')
      .filter({ hasText: 'Read scanned pages of board-minutes.pdf (OCR)' });
    const frames: Frame[] = [];
    let seen = false;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const present = (await card.count()) > 0;
      if (!present && seen) break;
      // One read of the card, so that its text and bar come from the same render.
      // (The card may leave between the count and this read: that frame is skipped.)
      const frame = present
        ? await card
            .evaluate(
              (el) => ({
                status: el.getAttribute('data-job-status'),
                label: el.textContent ?? '',
                text: (el.querySelector('[data-testid="job-progress-text"]')?.textContent ?? '').trim(),
                bar: el.querySelector('[data-testid="job-progress-bar"]')?.getAttribute('data-value') ?? null,
              }),
              undefined,
              { timeout: 1000 },
            )
            .catch(() => null)
        : null;
      if (frame?.status === 'running') {
        seen = true;
        expect(frame.bar, 'a running job shows a progress bar').not.toBeNull();
        if (/page 2 of/.test(frame.text) && !frames.some((f) => /page 2 of/.test(f.text))) {
          await app.screenshot('job-progress-under-way');
        }
        frames.push({ label: frame.label, text: frame.text, bar: frame.bar ?? '' });
      }
      await page.waitForTimeout(100);
    }
    expect(seen).toBe(true);
    // Each frame says how far the job is, in pages of this scan, and the bar says the same:
    // before its first page it knows no fraction yet, and it ends having read them all.
    const numbers: number[] = [];
    for (const frame of frames) {
      expect(frame.label).toMatch(/Text recognition · started/);
      const reading = /^OCR page (\d+) of (\d+) · (\d+)%$/.exec(frame.text);
      if (reading) {
        const n = Number(reading[1]);
        expect(reading[2]).toBe(String(PAGES));
        expect(reading[3]).toBe(frame.bar);
        expect(frame.bar).toBe(String(Math.round(((n - 1) / PAGES) * 100)));
        numbers.push(n);
      } else if (frame.bar === '') expect(frame.text).toBe('Working…');
      else expect(frame).toMatchObject({ text: `OCR read ${PAGES} pages · 100%`, bar: '100' });
    }
    expect(new Set(numbers).size).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThanOrEqual(numbers[i - 1]!);
    // Done: it is no longer listed as work under way, and the text it read is indexed (by the
    // document's own indexing job, which follows).
    expect(await card.count()).toBe(0);
    await expect
      .poll(
        async () => (await app.api.search({ query: 'quarterly budget', mode: 'keyword', limit: 5 })).groups.length,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
  }, 260_000);
});
