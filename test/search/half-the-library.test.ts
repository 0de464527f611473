import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/core/logger';
import { SearchService } from '../../src/main/core/search/search.service';
import { createLibrary, keywordTitles } from './library';

/**
 * A function word at least half the library's chunks hold adds nothing BM25
 * can rank by (half-the-library.ts), so it is not searched beside other
 * words, and the documents holding only it are not listed as found. A
 * content word that common still finds what holds it.
 */
describe('a function word held by half the library', () => {
  /** A keyword search over one chunk per file name. */
  const libraryOf = (files: Record<string, string>) => {
    const lib = createLibrary();
    lib.addConnector('folder', 'local_folder');
    for (const [title, text] of Object.entries(files))
      lib.addDocument({ connectorId: 'folder', title, chunks: [text] });
    return new SearchService({ db: lib.db, clock: lib.clock, getEmbedder: () => null, logger: silentLogger });
  };
  const library = () =>
    libraryOf({
      'proxy.md': 'Set the proxy address in the settings, then configure the browser to use it.',
      'browser.md': 'Configure each profile of the browser on its own.',
      'tunnel.md': 'A proxy forwards requests for a client.',
      'lunch.md': 'The menu of the week is on the board by the door.',
      'garden.md': 'The tomatoes and the beans need water every evening.',
      'trip.md': 'Pack the tent and the stove before the weekend.',
      'music.md': 'The choir meets on Thursdays at seven.',
    });

  it('is left out of a query of other words: nothing found by it alone, the rest ranked as without it', async () => {
    const service = library();
    const found = await keywordTitles(service, 'configure the proxy');
    expect(found).toEqual(await keywordTitles(service, 'configure proxy'));
    expect(found.sort()).toEqual(['browser.md', 'proxy.md', 'tunnel.md']);
  });

  it('is still searched when the query has no other word', async () => {
    const service = library();
    expect(await keywordTitles(service, 'the')).toHaveLength(6);
  });

  it('is a function word: a content word held by half the library still finds every document holding it', async () => {
    const service = libraryOf({
      'q1.md': 'Quarterly report: sales rose in spring.',
      'q2.md': 'Quarterly report: costs fell in summer.',
      'q3.md': 'Quarterly report: hiring paused in autumn.',
      'q4.md': 'Quarterly report: budget review in winter.',
      'pump.md': 'The pump needs a new seal.',
      'seal.md': 'Seals wear out after a year.',
    });
    // "report" is in four of six chunks, yet the documents holding only it are still found, below the seal's.
    const found = await keywordTitles(service, 'seal report');
    expect(found.slice(0, 2).sort()).toEqual(['pump.md', 'seal.md']);
    expect(found.slice(2).sort()).toEqual(['q1.md', 'q2.md', 'q3.md', 'q4.md']);
  });
});
