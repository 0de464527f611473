import { describe, expect, it } from 'vitest';
import { linkShare, NAVIGATION_SHARE } from '../../src/main/core/search/navigation-chunks';
import { createLibrary, searchServiceFor } from './library';

const CONTENTS = [
  '- [Reading and writing files](tutorial/io.html#reading-and-writing-files)',
  '  - [Methods of file objects](tutorial/io.html#methods-of-file-objects)',
  '- [fileinput — Iterate over lines from multiple input streams](library/fileinput.html)',
  '- [Reading a file line by line](howto/lines.html "Read a file line by line")',
].join('\n');

describe('navigation chunks', () => {
  it('are told by the share of their text that is link text', () => {
    expect(linkShare(CONTENTS)).toBeGreaterThan(0.95);
    expect(linkShare('See [the tutorial](t.html) for how to read a file line by line, with examples.')).toBeLessThan(
      NAVIGATION_SHARE,
    );
    expect(linkShare('No links here, only [brackets] and (parentheses).')).toBe(0);
    // An image's alt text and a link around code count as links too.
    expect(linkShare('![diagram](d.png) [`open()`](f.html)')).toBe(1);
  });

  it('rank below the pages they point to, and still answer when nothing else does', async () => {
    const lib = createLibrary();
    lib.addConnector('folder', 'local_folder');
    lib.addDocument({ connectorId: 'folder', title: 'Contents', chunks: [CONTENTS] });
    lib.addDocument({
      connectorId: 'folder',
      title: 'Input and output',
      chunks: [
        'Reading and writing files: open() returns a file object. To read a file line by line, loop over it; ' +
          'each line keeps its newline. Files should be closed when you are done with them, or opened in a with block. ' +
          'Other methods of file objects read the whole text at once or a given number of characters.',
      ],
    });
    const titles = async (query: string, navigationWeight?: number) => {
      const { service } = searchServiceFor(lib, {
        embedder: false,
        tuning: navigationWeight ? { navigationWeight } : undefined,
      });
      return (await service.search({ query, mode: 'keyword' })).groups.map((g) => g.document.title);
    };
    // Without the discount the list of titles wins: every entry is made of the words searched for.
    expect(await titles('read a file line by line', 1)).toEqual(['Contents', 'Input and output']);
    expect(await titles('read a file line by line')).toEqual(['Input and output', 'Contents']);
    expect(await titles('fileinput')).toEqual(['Contents']);
  });
});
