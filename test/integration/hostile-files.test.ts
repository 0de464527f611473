import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chownTree, hostileSetSteps, writeHostileSet, type HostileSet } from '../fixtures/hostile-files';
import { runInChild, type DocumentOutcome, type RunReport } from '../helpers/sync-runner';

/**
 * Issue 12, "Nothing lost, nothing hangs": the hostile set through a real
 * core in a child process (real workers, real SQLite, real files). As root,
 * permissions prove nothing, so the child then runs as nobody (65534) on a
 * tree given to nobody.
 */
const NOBODY = 65534;
const runsAsRoot = process.getuid?.() === 0;

describe('hostile files', () => {
  let work: string;
  let set: HostileSet;
  let report: RunReport;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'trove-hostile-'));
    chmodSync(work, 0o755);
    const folder = join(work, 'files');
    const dataDir = join(work, 'data');
    mkdirSync(folder);
    mkdirSync(dataDir);
    // Two copies of each bomb, so two are parsed at once (the pool has two workers).
    set = await writeHostileSet(folder, { bombCopies: 2 });
    if (runsAsRoot) chownTree(work, NOBODY, NOBODY);
    report = await runInChild(
      {
        dataDir,
        steps: [...hostileSetSteps(set), { search: 'Valve 5000' }, { search: 'orchard' }],
      },
      runsAsRoot ? { uid: NOBODY, gid: NOBODY } : {},
    );
  }, 300_000);

  afterAll(async () => {
    await set?.close();
    if (work) {
      chmodSync(join(work, 'files', 'private'), 0o755);
      rmSync(work, { recursive: true, force: true });
    }
  });

  const folderDocs = (label: string): DocumentOutcome[] =>
    report.reports[label]!.filter((doc) => doc.connector === 'files');

  it('records every input of the folder, each with its specific outcome, and nothing else', () => {
    const docs = new Map(folderDocs('locked').map((doc) => [doc.externalId, doc]));
    for (const entry of set.entries) {
      const doc = docs.get(entry.id);
      expect({ id: entry.id, recorded: doc !== undefined }).toEqual({ id: entry.id, recorded: true });
      expect({ id: entry.id, status: doc!.status }).toEqual({ id: entry.id, status: entry.expect.status });
      if (entry.expect.status === 'completed') {
        expect(doc!.chunks, entry.id).toBeGreaterThan(0);
      } else {
        expect(doc!.error, entry.id).toMatch(entry.expect.reason);
      }
    }
    expect([...docs.keys()].sort()).toEqual(set.entries.map((entry) => entry.id).sort());
  });

  it('keeps what was indexed under a folder that became unreadable, and says why the folder is skipped', () => {
    const before = folderDocs('readable').find((doc) => doc.externalId === 'private/kept.md');
    expect(before).toMatchObject({ status: 'completed' });
    expect(folderDocs('readable').some((doc) => doc.externalId === 'private/')).toBe(false);
    const after = folderDocs('locked');
    expect(after.find((doc) => doc.externalId === 'private/kept.md')).toMatchObject({ status: 'completed' });
    expect(after.find((doc) => doc.externalId === 'private/')?.error).toBe(
      'Trove does not have permission to open this folder, so the files in it cannot be indexed. Files indexed from it before are kept. Change its permissions and sync again.',
    );
  });

  it('records a pipe given to import, and keeps what was imported from a folder that became unreadable', () => {
    const imported = report.reports.locked!.filter((doc) => doc.connector === 'Imported files');
    const pipe = join(set.root, 'pipe.fifo');
    expect(imported.find((doc) => doc.externalId === `file:${pipe}`)?.error).toMatch(/^This is a named pipe \(FIFO\)/);
    expect(imported.find((doc) => doc.externalId === `file:${set.unreadableFolder}/`)?.error).toMatch(
      /^Trove does not have permission to open this folder/,
    );
    expect(imported.find((doc) => doc.title === 'kept.md')).toMatchObject({ status: 'completed' });
  });

  it('indexes the 5,000-page PDF in full and the file whose name is not UTF-8', () => {
    // The last page's words are found, in a passage that starts within a few pages of the end.
    const [top] = report.searches['Valve 5000']!;
    expect(top!.title).toBe('long-manual.pdf');
    expect(top!.pages[0]).toBeGreaterThan(4990);
    expect(report.searches.orchard!.map((hit) => hit.title)).toContain('caf\\xE9-notes.txt');
  });
});
