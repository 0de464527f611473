import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { makePdf } from '../fixtures/documents';
import { contractClient } from '../helpers/contract-client';
import { startRealApp } from '../helpers/real-app';

/**
 * A PDF in a watched folder whose download stopped short: the pages it
 * holds are searchable and its listing says what was lost; once the person
 * downloads it again, the whole file is indexed and the note goes.
 */
describe('a PDF cut short in a watched folder', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('indexes the pages it holds, says so, and drops the note once the whole file is back', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'trove-cut-pdf-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const app = await startRealApp({ watch: false });
    cleanups.push(() => app.close());
    const call = contractClient(app);

    const pages = ['Hives need a dry floor.', 'Queens lay in spring.', 'Harvest the qzhoneyqz in late summer.'];
    const whole = await (await PDFDocument.load(await makePdf(pages))).save({ useObjectStreams: false });
    const folder = path.join(root, 'Bees');
    await mkdir(folder);
    // Cut inside the third page's content: two pages survive, the file still declares three.
    await writeFile(path.join(folder, 'beekeeping.pdf'), whole.slice(0, Math.floor(whole.length * 0.8)));
    await writeFile(path.join(folder, 'swarms.md'), '# Swarms\n\nA swarm settles on a branch.\n');
    const { connector } = await call.addLocalFolder({ path: folder, name: 'Bees' });
    await app.core.idle();

    const problems = async () =>
      (await call.listDocuments({ connectorId: connector.id, problems: true, limit: 10 })).items.map((d) => d.title);
    const listed = async () =>
      (await call.listDocuments({ connectorId: connector.id, titleContains: 'beekeeping', limit: 10 })).items[0]!;
    expect(await listed()).toMatchObject({
      status: 'completed',
      notice:
        'This PDF ends early, as an interrupted download or copy does: Trove indexed the 2 pages it still holds, of the 3 it had.',
    });
    // Read in part, it is one of the folder's problems; the sound note is not.
    expect(await problems()).toEqual(['beekeeping.pdf']);
    expect((await call.search({ query: 'queens lay', mode: 'keyword' })).groups).toHaveLength(1);
    expect((await call.search({ query: 'qzhoneyqz', mode: 'keyword' })).groups).toHaveLength(0);

    // Touched, not changed: the text is kept, and so is what it lacks.
    await utimes(path.join(folder, 'beekeeping.pdf'), new Date(), new Date(Date.now() + 60_000));
    await call.syncConnector({ connectorId: connector.id });
    await app.core.idle();
    expect((await listed()).notice).toMatch(/^This PDF ends early/);

    await writeFile(path.join(folder, 'beekeeping.pdf'), whole);
    await call.syncConnector({ connectorId: connector.id });
    await app.core.idle();
    expect(await listed()).toMatchObject({ status: 'completed', notice: null });
    expect(await problems()).toEqual([]);
    expect((await call.search({ query: 'qzhoneyqz', mode: 'keyword' })).groups).toHaveLength(1);
  });
});
