/**
 * Progress to the true end, read from the screen WHILE the work runs: a new
 * user adds a folder of Markdown notes and watches the connector card and
 * the sidebar. The card must never say done while documents are pending,
 * its bar's denominator must be the final count from the first frame that
 * shows one, and "done" must appear within a second of the last document.
 *
 * E2E_PROGRESS_FILES sets the folder size (default 1,500; the issue's
 * scenario is 4,613). Timings print as one line for the report.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2EApp, type E2EApp } from './harness';
import { writeMarkdownCorpus } from './markdown-corpus';

const FILES = Number(process.env.E2E_PROGRESS_FILES ?? 1500);

/** The little of the DOM the sampler reads (this file compiles without the DOM library). */
interface ElementLike {
  getAttribute(name: string): string | null;
  querySelector(selector: string): ElementLike | null;
  textContent: string | null;
}
interface DocumentLike {
  querySelector(selector: string): ElementLike | null;
}

interface Frame {
  at: number;
  busy: boolean;
  badge: string;
  phase: string | null;
  total: string | null;
  denominator: string | null;
  indexed: number | null;
  text: string;
  sidebar: string;
}

let app: E2EApp;
let folder: string;

beforeAll(async () => {
  app = await startE2EApp();
  folder = path.join(app.filesDir, 'Notes');
  await writeMarkdownCorpus(folder, FILES);
});

afterAll(async () => {
  await app?.close();
});

describe('progress covers the whole pipeline', () => {
  it(`shows indexing of ${FILES} notes to the true end, with a real denominator from its first frame`, async () => {
    const { page } = app;
    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('add-connector').click();
    await page.getByTestId('folder-path').fill(folder);
    const clickedAt = Date.now();
    await page.getByTestId('add-folder-submit').click();
    const card = page.getByTestId('connector-card').filter({ hasText: 'Notes' });
    await card.waitFor();
    const connectorId = (await card.getAttribute('data-connector-id'))!;

    // Sample what the person sees, as fast as the page answers, until the card settles.
    const frames: Frame[] = [];
    let shotIndexing = false;
    let shotReading = false;
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const frame = await page.evaluate((id) => {
        const doc = (globalThis as unknown as { document: DocumentLike }).document;
        const el = doc.querySelector(`[data-connector-id="${id}"]`)!;
        const progress = el.querySelector('[data-testid="connector-progress"]');
        return {
          busy: el.getAttribute('data-busy') === 'true',
          badge: el.querySelector('[data-testid="status-badge"]')?.textContent ?? '',
          phase: progress?.getAttribute('data-phase') ?? null,
          total: progress ? progress.getAttribute('data-total') : null,
          denominator: progress ? progress.getAttribute('data-denominator') : null,
          indexed: progress ? Number(progress.getAttribute('data-indexed')) : null,
          text: el.querySelector('[data-testid="run-progress-text"]')?.textContent ?? '',
          sidebar: doc.querySelector('[data-testid="sync-state"]')?.textContent ?? '',
          completed: Number(
            (el.querySelector('[data-testid="doc-count-completed"]')?.textContent ?? '0').replace(/,/g, ''),
          ),
        };
      }, connectorId);
      frames.push({ at: Date.now(), ...frame });
      if (!shotReading && frame.phase === 'syncing' && frame.denominator) {
        shotReading = true;
        await app.screenshot('10a-progress-reading');
      }
      if (!shotIndexing && frame.phase === 'indexing' && (frame.indexed ?? 0) > 0) {
        shotIndexing = true;
        await app.screenshot('10-progress-indexing');
      }
      if (!frame.busy && frame.completed === FILES) break;
      if (Date.now() > deadline) throw new Error(`the card never settled; last: ${JSON.stringify(frame)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await app.screenshot('11-progress-done');

    // The last document's finish time, as the core recorded it.
    const latest = await app.api.listDocuments({
      status: ['completed'],
      sort: 'updated',
      limit: 1,
      offset: 0,
    });
    const lastDocumentAt = latest.items[0]!.updatedAt;
    const doneFrame = frames.find((f) => !f.busy)!;
    const lastBusy = [...frames].reverse().find((f) => f.busy)!;

    // Never done while documents were pending: the first frame without work comes after the last document.
    expect(doneFrame.at).toBeGreaterThanOrEqual(lastDocumentAt);
    expect(doneFrame.at - lastDocumentAt).toBeLessThan(1000);
    // Until the last document finished, the card shows the run and the sidebar never says "Up to date"
    // (from 0.6 s after the click: the click's own round trip and one refresh).
    for (const f of frames.filter((x) => x.at < lastDocumentAt && x.at > clickedAt + 600)) {
      const at = `at ${f.at - clickedAt} ms (last document at ${lastDocumentAt - clickedAt} ms): ${JSON.stringify(f)}`;
      expect(f.busy, at).toBe(true);
      expect(f.sidebar, at).not.toMatch(/Up to date/);
    }
    // Every determinate bar, reading or indexing, has the real denominator (all files, all new) from its
    // first frame: never a count that grows, never "0 %" of a made-up total.
    const shown = FILES.toLocaleString('en-US');
    const barred = frames.filter((f) => f.denominator !== null && f.denominator !== '');
    expect(barred.length).toBeGreaterThan(0);
    expect(new Set(barred.map((f) => f.denominator))).toEqual(new Set([String(FILES)]));
    for (const f of barred) expect(f.text).toMatch(new RegExp(`(Reading|Indexing) [\\d,]+ of ${shown}`));
    // Without a denominator (the walk has not finished yet), the bar claims nothing.
    for (const f of frames.filter((x) => x.phase !== null && !x.denominator)) {
      expect(f.text).toMatch(/Reading: [\d,]+ items? checked/);
    }
    // The indexing bar counts only upwards, against the final total.
    const determinate = frames.filter((f) => f.total !== null && f.total !== '');
    expect(new Set(determinate.map((f) => f.total))).toEqual(new Set([String(FILES)]));
    const indexed = determinate.map((f) => f.indexed ?? 0);
    for (let i = 1; i < indexed.length; i++) expect(indexed[i]!).toBeGreaterThanOrEqual(indexed[i - 1]!);

    // The history's run covers the indexing too.
    const [run] = (await app.api.listSyncLogs({ limit: 1, openOnly: false })).items;
    expect(run).toMatchObject({ status: 'success', documentsSynced: FILES, phase: 'done' });
    expect(run!.completedAt!).toBeGreaterThanOrEqual(lastDocumentAt);

    const firstBar = barred[0]!;
    console.log(
      `[progress] ${FILES} files: clicked at 0 ms; first bar with a denominator at ${firstBar.at - clickedAt} ms ("${firstBar.text}"); last document finished at ${lastDocumentAt - clickedAt} ms; card said done at ${doneFrame.at - clickedAt} ms (${doneFrame.at - lastDocumentAt} ms after the last document; last busy frame at ${lastBusy.at - clickedAt} ms); run: sync ${run!.syncDurationMs} ms + indexing ${run!.indexingDurationMs} ms = ${run!.durationMs} ms; ${frames.length} frames sampled`,
    );

    await page.getByTestId('nav-history').click();
    await page.getByTestId('sync-log-row').first().waitFor();
    await app.screenshot('12-history-after-progress');
  });
});
