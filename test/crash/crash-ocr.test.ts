import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile, ocrSourcesDir } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import type { FakeModelHub } from '../fakes/model-hub-server';
import { makeScannedPdfFrom, PROSE, renderPage } from '../fixtures/ocr-pages';
import { startTinyModelHub } from '../helpers/test-core';
import {
  crashHit,
  indexViolations,
  newWorld,
  notesIndex,
  runApp,
  killAndRecover,
  summarise,
  traceCounts,
  writeNotes,
  type PointResult,
} from './harness';
import { OCR_POINTS } from './scenarios';

const NOTES = 24;
const PAGES = 3;

/**
 * A folder of notes and a scanned PDF: the notes and the PDF's (empty) text
 * layer are indexed, then the OCR job reads its pages and merges their
 * text. The run is killed at each of the OCR job's crash points; the next
 * run must finish the OCR (without a page read twice into the text), index
 * the text once, and leave no file or page row behind.
 */
describe('crash points of OCR', () => {
  let hub: FakeModelHub;
  let scan: Uint8Array;
  const results: PointResult[] = [];
  const baseline = new Map<string, number>();
  // Words from the last page: only found once OCR has read every page and the text is indexed.
  const expected = () => ({
    documents: new Map([...notesIndex(NOTES, () => 0), ['scan.pdf', 'embankment']]),
  });

  const writeFolder = (root: string): string => {
    const folder = join(root, 'notes');
    writeNotes(folder, NOTES);
    writeFileSync(join(folder, 'scan.pdf'), scan);
    return folder;
  };

  /** What indexViolations does not know about: the OCR's own leftovers. */
  const ocrLeftovers = (dataDir: string): string[] => {
    const problems: string[] = [];
    const dir = ocrSourcesDir(dataDir);
    if (existsSync(dir) && readdirSync(dir).length > 0)
      problems.push(`ocr-sources holds ${readdirSync(dir).join(', ')}`);
    const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
    try {
      const rows = db.prepare(`SELECT COUNT(*) FROM ocr_pages`).pluck().get() as number;
      if (rows > 0) problems.push(`${rows} OCR page rows left`);
      const state = db
        .prepare(`SELECT json_extract(metadata, '$.ocr') FROM imported_documents WHERE external_id = 'scan.pdf'`)
        .pluck()
        .get() as string;
      const ocr = JSON.parse(state) as { state: string; pagesDone: number };
      if (ocr.state !== 'done' || ocr.pagesDone !== PAGES) problems.push(`OCR state ${state}`);
      const text = db
        .prepare(`SELECT content FROM imported_documents WHERE external_id = 'scan.pdf'`)
        .pluck()
        .get() as string;
      // Each page's opening words once: a page merged twice would repeat them.
      for (const words of ['committee met', 'good loaf', 'river rose']) {
        const count = text.split(words).length - 1;
        if (count !== 1) problems.push(`"${words}" appears ${count} times in the OCR text`);
      }
    } finally {
      db.close();
    }
    return problems;
  };

  beforeAll(async () => {
    hub = await startTinyModelHub();
    scan = await makeScannedPdfFrom([
      { image: renderPage(PROSE.slice(0, 2), { dpi: 150 }) },
      { image: renderPage(PROSE.slice(6, 8), { dpi: 150 }) },
      { image: renderPage(PROSE.slice(2, 3), { dpi: 150 }) },
    ]);
    const world = newWorld('ocr-baseline');
    try {
      const folder = writeFolder(world.root);
      const trace = join(world.root, 'trace');
      const run = await runApp(world, [`model=${hub.baseUrl}`, `add-folder=${folder}`, 'idle'], { trace });
      expect(run.code, run.stderr).toBe(0);
      for (const [point, hits] of traceCounts(trace)) baseline.set(point, hits);
      expect(indexViolations(world.dataDir, expected())).toEqual([]);
      expect(ocrLeftovers(world.dataDir)).toEqual([]);
    } finally {
      world.cleanup();
    }
  }, 180_000);

  afterAll(async () => {
    console.log(summarise('OCR of a scanned PDF', results));
    await hub?.close();
  });

  it('the undisturbed run passes every crash point of this scenario', () => {
    expect(OCR_POINTS.filter((p) => !baseline.has(p))).toEqual([]);
    expect(baseline.get('ocr.page.written')).toBe(PAGES);
  });

  for (const point of OCR_POINTS) {
    it(`recovers from a kill at ${point}`, async () => {
      const world = newWorld('ocr');
      try {
        const folder = writeFolder(world.root);
        const hit = crashHit(baseline.get(point) ?? 1);
        const result = await killAndRecover(world, {
          point,
          hit,
          steps: [`model=${hub.baseUrl}`, `add-folder=${folder}`, 'idle'],
          recovery: ['sync', 'idle'],
          check: () => [...indexViolations(world.dataDir, expected()), ...ocrLeftovers(world.dataDir)],
        });
        results.push(result);
        expect(result.problems).toEqual([]);
      } finally {
        world.cleanup();
      }
    }, 180_000);
  }
});
