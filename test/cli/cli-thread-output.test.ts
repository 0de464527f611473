import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixture } from '../fixtures/documents';
import { renderFlowchart } from '../fixtures/ocr-pages';
import { runTrove, type TroveRun } from './run-trove';

/**
 * Tesseract prints diagnostics of its own for some images: for this
 * flowchart, "Image too small to scale!! (2x36 vs min width of 3)" and "Line
 * cannot be recognized!!", as for diagrams in Python's documentation. They
 * used to break into the progress bar.
 */
describe('what the OCR thread prints', () => {
  let dataDir: string;
  let folder: string;
  let quiet: TroveRun;
  let verbose: TroveRun;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-thread-output-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-thread-output-folder-'));
    await writeFixture(folder, 'flowchart.png', renderFlowchart(1));
    await writeFixture(folder, 'notes.md', '# Notes\n\nPrune the roses in March.\n');
    quiet = await runTrove(dataDir, ['import', folder]);
    verbose = await runTrove(mkdtempSync(join(tmpdir(), 'trove-thread-output-verbose-')), [
      '--verbose',
      'import',
      folder,
    ]);
  }, 120_000);

  afterAll(() => {
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stays out of the terminal: stderr holds the progress line and nothing else', () => {
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/Done: .* 0 failed/);
    const lines = quiet.stderr.split(/[\r\n]+/).filter((line) => line.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/documents indexed/);
  });

  it('goes to the log, which --verbose shows', () => {
    expect(verbose.code, verbose.stderr).toBe(0);
    const logged = verbose.stderr
      .split(/[\r\n]+/)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; line?: string });
    const printed = logged.filter((entry) => entry.msg === 'a worker thread printed').map((entry) => entry.line);
    expect(printed).toContainEqual(expect.stringMatching(/Image too small to scale/));
  });
});
