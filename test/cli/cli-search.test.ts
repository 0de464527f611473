import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse, SimilarResponse } from '../../src/main/core/search/types';
import { runTrove, runTroveJson } from './run-trove';

/** `trove search` with the query syntax, spelling help and --like, as a person runs it. */
describe('trove search', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-search-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-cli-search-folder-'));
    const plan = '# Garden plan\n\nPlant the **kwtomatozq** seedlings; water the kwbeanzq rows.\n';
    writeFileSync(join(folder, 'plan.md'), plan);
    // The same plan kept in a second folder: shown once, with the copy's place.
    mkdirSync(join(folder, 'old'));
    writeFileSync(join(folder, 'old', 'plan.md'), plan);
    writeFileSync(join(folder, 'draft.md'), '# Draft\n\nA draft about kwtomatozq and kwbeanzq prices.\n');
    writeFileSync(join(folder, 'notes.txt'), 'Notes: kwtomatozq harvest in August, kwbeanzq in July.\n');
    writeFileSync(
      join(folder, 'pump.py'),
      'def pump(units):\n    for unit in units:\n        unit.kwhosezq(litres=2)\n',
    );
    writeFileSync(join(folder, 'hose.md'), '# Hose\n\nCall `unit.kwhosezq()` once a day.\n');
    // Unrelated pages, so that the garden words are rare in the library.
    for (const topic of ['bread', 'taxes', 'bicycle', 'piano', 'printer', 'holiday']) {
      writeFileSync(join(folder, `${topic}.txt`), `All about the ${topic}: how it works and what it costs.\n`);
    }
    const added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Garden']);
    expect(added.code, added.stderr).toBe(0);
  }, 60_000);

  afterAll(() => {
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies the operators typed in the query and lists them', async () => {
    const found = await runTroveJson<SearchResponse>(dataDir, ['search', 'kwtomatozq -draft type:md', '--json']);
    // Titled from inside the file, with its name beside it.
    expect(found.groups.map((g) => [g.document.title, g.document.fileName])).toEqual([['Garden plan', 'plan.md']]);
    expect(found.operators.map((o) => o.text)).toEqual(['-draft', 'type:md']);
    // Shown text: the Markdown emphasis is gone, the match is marked.
    expect(found.groups[0]!.chunks[0]!.snippet).toContainEqual({ text: 'kwtomatozq', match: true });

    const human = await runTrove(dataDir, ['search', 'kwtomatozq -draft type:md', '--mode', 'keyword']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Understood: -draft  type:md');
    expect(human.stdout).toContain('Plant the [kwtomatozq] seedlings');
  });

  it('prints a passage of code whole, its match marked inside it, and code within prose in one pair of backticks', async () => {
    const human = await runTrove(dataDir, ['search', 'kwhosezq', '--mode', 'keyword']);
    expect(human.code, human.stderr).toBe(0);
    // All code: nothing to set it apart from, so no backticks around its pieces.
    expect(human.stdout).toContain('def pump(units): for unit in units: unit.[kwhosezq](litres=2)');
    expect(human.stdout).toContain('Call `unit.[kwhosezq]()` once a day.');
  });

  it('shows a file kept in two folders once, with where the copy is', async () => {
    const human = await runTrove(dataDir, ['search', 'kwtomatozq seedlings', '--mode', 'keyword']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.match(/^\d+\. Garden plan/gm)).toHaveLength(1);
    expect(human.stdout).toMatch(/^ {3}also: file:\/\/\S+\/plan\.md$/m);
    const found = await runTroveJson<SearchResponse>(dataDir, ['search', 'kwtomatozq seedlings', '--json']);
    expect(found.groups[0]!.copies?.map((c) => c.title)).toEqual(['Garden plan']);
  });

  it('answers keyword search in a data folder that has no library yet', async () => {
    // The read-only fast path has nothing to open there; the core creates the library as before.
    const empty = join(mkdtempSync(join(tmpdir(), 'trove-cli-search-empty-')), 'data');
    try {
      const run = await runTrove(empty, ['search', 'kwtomatozq', '--mode', 'keyword']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('No results.');
    } finally {
      rmSync(dirname(empty), { recursive: true, force: true });
    }
  });

  it('suggests a correction for a misspelt word', async () => {
    const human = await runTrove(dataDir, ['search', 'kwtomatoq', '--mode', 'keyword']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Did you mean: kwtomatozq');
    expect(human.stdout).toContain('Also matched: kwtomatozq for kwtomatoq');
  });

  it('says what is wrong with a malformed operator and exits non-zero', async () => {
    const bad = await runTrove(dataDir, ['search', 'kwtomatozq after:2025-02-30']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('"after:2025-02-30" is not a date');
    const neither = await runTrove(dataDir, ['search']);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toContain('--like <documentId>');
  });

  it('--like finds documents similar to one, never that one', async () => {
    const found = await runTroveJson<SearchResponse>(dataDir, ['search', 'kwtomatozq', '--json']);
    const plan = found.groups.find((g) => g.document.fileName === 'plan.md')!.document.id;
    const similar = await runTroveJson<SimilarResponse>(dataDir, ['search', '--like', plan, '--json']);
    expect(similar.basis).toBe('terms');
    expect(similar.terms).toEqual(expect.arrayContaining(['kwtomatozq', 'kwbeanzq']));
    expect(similar.groups.map((g) => g.document.fileName ?? g.document.title).sort()).toEqual([
      'draft.md',
      'notes.txt',
    ]);
    const human = await runTrove(dataDir, ['search', '--like', plan]);
    expect(human.stdout).toMatch(/Similar by shared words: .*kwtomatozq/);
    const unknown = await runTrove(dataDir, ['search', '--like', 'no-such-id']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No document has the id "no-such-id"');
  });
});
