import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { databaseFile, ocrSourcesDir } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { makeScannedPdfFrom, PROSE, renderPage } from '../fixtures/ocr-pages';
import { describeCrashPoints } from './crash-suite';
import { indexViolations, newWorld, notesIndex, writeNotes } from './harness';
import { OCR_POINTS } from './scenarios';

const NOTES = 24;
const PAGES = 3;
let scan: Uint8Array;

// Words from the last page: only found once OCR has read every page and the text is indexed.
const expected = () => ({
  documents: new Map([...notesIndex(NOTES, () => 0), ['scan.pdf', 'embankment']]),
});

/** What indexViolations does not know about: the OCR's own leftovers. */
function ocrLeftovers(dataDir: string): string[] {
  const problems: string[] = [];
  const dir = ocrSourcesDir(dataDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) problems.push(`ocr-sources holds ${readdirSync(dir).join(', ')}`);
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
}

/**
 * A folder of notes and a scanned PDF: the notes and the PDF's (empty) text
 * layer are indexed, then the OCR job reads its pages and merges their
 * text. The run is killed at each of the OCR job's crash points; the next
 * run must finish the OCR (without a page read twice into the text), index
 * the text once, and leave no file or page row behind.
 */
describeCrashPoints({
  title: 'crash points of OCR',
  summary: 'OCR of a scanned PDF',
  points: OCR_POINTS,
  timeoutMs: 180_000,
  before: async () => {
    scan = await makeScannedPdfFrom([
      { image: renderPage(PROSE.slice(0, 2), { dpi: 150 }) },
      { image: renderPage(PROSE.slice(6, 8), { dpi: 150 }) },
      { image: renderPage(PROSE.slice(2, 3), { dpi: 150 }) },
    ]);
  },
  scene: (name) => {
    const world = newWorld(name);
    const folder = join(world.root, 'notes');
    writeNotes(folder, NOTES);
    writeFileSync(join(folder, 'scan.pdf'), scan);
    return { world };
  },
  steps: ({ world }, hub) => [`model=${hub.baseUrl}`, `add-folder=${join(world.root, 'notes')}`, 'idle'],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => [...indexViolations(world.dataDir, expected()), ...ocrLeftovers(world.dataDir)],
  checkBaseline: (baseline) => expect(baseline.get('ocr.page.written')).toBe(PAGES),
});
