import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/main/core/search/types';
import { runTrove, runTroveJson } from './run-trove';

/**
 * A folder left empty, as the mount point of a drive or share that is not
 * connected is: a sync keeps its documents and says why and what to do; a
 * full sync, which the person asks for, removes them.
 */
describe('trove sync of a folder left empty', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-cli-mount-'));
  });

  afterAll(() => {
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the documents, prints the reason, and removes them only on a full sync', async () => {
    writeFileSync(join(folder, 'plan.md'), '# Plan\n\nOrder the kwgravelzq for the path.\n');
    writeFileSync(join(folder, 'notes.txt'), 'Notes on kwgravelzq prices.\n');
    const added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Share']);
    expect(added.stdout).toMatch(/Done: 2 indexed/);
    rmSync(join(folder, 'plan.md'));
    rmSync(join(folder, 'notes.txt'));

    const synced = await runTrove(dataDir, ['sync', 'Share']);
    const reason = `The folder ${folder} is empty, so the 2 documents indexed from it were kept.`;
    expect(synced.stdout).toContain(`Failed: ${reason} If it is on a drive or network share, connect it`);
    const kept = await runTroveJson<SearchResponse>(dataDir, ['search', 'kwgravelzq', '--json']);
    expect(kept.groups).toHaveLength(2);
    const listed = await runTrove(dataDir, ['connectors']);
    expect(listed.stdout).toMatch(/local_folder +error +Share/);
    expect(listed.stdout).toContain(reason);
    const status = await runTrove(dataDir, ['status']);
    expect(status.stdout).toMatch(/Connectors +1 \(last sync failed: Share; see `trove connectors`\)/);

    const full = await runTrove(dataDir, ['sync', 'Share', '--full']);
    expect(full.stdout).not.toContain('Failed:');
    const gone = await runTroveJson<SearchResponse>(dataDir, ['search', 'kwgravelzq', '--json']);
    expect(gone.groups).toHaveLength(0);
    expect((await runTrove(dataDir, ['connectors'])).stdout).toMatch(/local_folder +active +Share/);
  }, 120_000);
});
