import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/documents';
import { runTrove, startTrove } from '../cli/run-trove';
import { indexViolations, marker, newWorld, notesIndex, writeNotes, type CrashWorld } from './harness';

const NOTES = 60;
const PDF_PAGES = 5000;

/**
 * The report that started the crash-point work, step by step through the
 * real CLI: a folder of 60 notes and one 5,000-page PDF, `trove add-folder`
 * killed with SIGKILL after 4 s, then `trove sync`. Every file must end
 * indexed (or, for the PDF, settled with a reason), none left pending.
 */
describe('trove add-folder killed part-way, then trove sync', () => {
  let world: CrashWorld;
  let folder: string;

  beforeAll(async () => {
    world = newWorld('cli-kill');
    folder = join(world.root, 'notes');
    writeNotes(folder, NOTES);
    const pages = Array.from({ length: PDF_PAGES }, (_, p) => `Manual page ${p + 1}\nkwmanualzq section ${p + 1}.`);
    writeFileSync(join(folder, 'manual.pdf'), await makePdf(pages));
  }, 120_000);
  afterAll(() => world?.cleanup());

  it('loses nothing', async () => {
    const adding = startTrove(world.dataDir, ['add-folder', folder]);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    adding.child.kill('SIGKILL');
    const killed = await adding.done;
    expect(killed.code).toBeNull(); // it was really killed, not finished

    const sync = await runTrove(world.dataDir, ['sync']);
    expect(sync.code, sync.stderr).toBe(0);

    const documents = notesIndex(NOTES, () => 0);
    documents.set('manual.pdf', 'kwmanualzq');
    const problems = indexViolations(world.dataDir, { documents });
    // A PDF past the page limit is settled as skipped with a reason, which is a record, not a loss.
    const rest = problems.filter((p) => !/^manual\.pdf is skipped: .+|"kwmanualzq" finds \[\]/.test(p));
    expect(rest).toEqual([]);
    const search = await runTrove(world.dataDir, ['search', marker(NOTES - 1), '--mode', 'keyword', '--json']);
    expect(search.code, search.stderr).toBe(0);
    const found = (JSON.parse(search.stdout) as { groups: Array<{ document: { sourceUrl: string } }> }).groups;
    expect(found.map((g) => g.document.sourceUrl)).toEqual([
      pathToFileURL(join(folder, `topic-${(NOTES - 1) % 7}`, `note-${NOTES - 1}.md`)).href,
    ]);
  }, 300_000);
});
