import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrove, runTroveJson } from './run-trove';

/**
 * The CLI's commands that change state go through the contract's dispatcher,
 * so what a person types is checked by the same schemas as the desktop app's
 * and browser mode's calls, and refused with the same message.
 */
describe('trove CLI input checked by the contract', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-contract-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-cli-contract-folder-'));
    writeFileSync(join(folder, 'note.md'), '# Note\n\nA kwcontractzq note.\n');
  });

  afterAll(() => {
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('add-folder with a size limit of 0 MB is refused with the schema message, and nothing is connected', async () => {
    const run = await runTrove(dataDir, ['add-folder', folder, '--max-size', '0', '--no-wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^trove: Invalid input for "addLocalFolder": maxFileSizeBytes: /m);
    expect(await runTroveJson<unknown[]>(dataDir, ['connectors', '--json'])).toEqual([]);
  });

  it('import of a path that does not exist is refused, naming the path', async () => {
    const missing = join(folder, 'no-such-file.md');
    const run = await runTrove(dataDir, ['import', missing, '--no-wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`trove: Nothing was imported: this path does not exist on this computer: ${missing}.`);
    expect(await runTroveJson<unknown[]>(dataDir, ['connectors', '--json'])).toEqual([]);
  });

  it('gemini-key refuses a key too short to be one, before touching the keychain', async () => {
    const run = await runTrove(dataDir, ['gemini-key'], { TROVE_GEMINI_API_KEY: 'abc123' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^trove: Invalid input for "setGeminiKey": apiKey: is too short to be a Gemini API key$/m,
    );
    expect(run.stdout).not.toContain('Stored');
  });

  it('the same folder with a valid limit is connected', async () => {
    const run = await runTrove(dataDir, ['add-folder', folder, '--max-size', '1', '--name', 'Notes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Added Notes \(.+\)\./m);
    expect(run.stdout).toMatch(/Done: 1 indexed, 0 skipped, 0 failed/);
  });

  it('add-folder leaves out what .gitignore files ignore, unless given --no-gitignore', async () => {
    const made: string[] = [];
    const indexedOf = async (flags: string[]) => {
      // Outside the folder connected above, whose own sync would count these files too.
      const project = mkdtempSync(join(tmpdir(), 'trove-cli-gitignore-'));
      made.push(project);
      mkdirSync(join(project, 'dist'), { recursive: true });
      writeFileSync(join(project, '.gitignore'), 'dist/\n');
      writeFileSync(join(project, 'guide.md'), '# Guide\n');
      writeFileSync(join(project, 'dist', 'guide.md'), '# Guide, built\n');
      // A data folder of its own: the summary counts every document of the library.
      const ownData = mkdtempSync(join(tmpdir(), 'trove-cli-gitignore-data-'));
      made.push(ownData);
      const run = await runTrove(ownData, ['add-folder', project, ...flags]);
      expect(run.code, run.stderr).toBe(0);
      return /Done: (\d+) indexed/.exec(run.stdout)?.[1];
    };
    // guide.md; then the built copy too.
    expect(await indexedOf([])).toBe('1');
    expect(await indexedOf(['--no-gitignore'])).toBe('2');
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
});
