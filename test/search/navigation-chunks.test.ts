import { describe, expect, it } from 'vitest';
import { linkShare, NAVIGATION_SHARE, pageListShare } from '../../src/main/core/search/navigation-chunks';
import { createLibrary, searchServiceFor, keywordTitles } from './library';

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
      return keywordTitles(service, query);
    };
    // Without the discount the list of titles wins: every entry is made of the words searched for.
    expect(await titles('read a file line by line', 1)).toEqual(['Contents', 'Input and output']);
    expect(await titles('read a file line by line')).toEqual(['Input and output', 'Contents']);
    expect(await titles('fileinput')).toEqual(['Contents']);
  });

  it('include a printed contents or index, told by its dot leaders and page numbers', () => {
    expect(pageListShare(BOOK_INDEX)).toBeGreaterThan(0.9);
    expect(
      pageListShare('Contents\n1 Introduction........1\n2 Naming\u2026\u20263\nPreface \u00b7 \u00b7 \u00b7 \u00b7 ix'),
    ).toBeGreaterThan(NAVIGATION_SHARE);
    // Prose with an ellipsis, or a row of dots that leads to no page number, is no index.
    expect(pageListShare('He paused.... then went on, and on. . . . 1999 was a good year for it.')).toBe(0);
    expect(pageListShare('Fill in: name ....................\nDate ....................')).toBe(0);
  });

  it("leave a book's index below the page that documents the function, and show its leaders as one ellipsis", async () => {
    const lib = createLibrary();
    lib.addConnector('folder', 'local_folder');
    lib.addDocument({
      connectorId: 'folder',
      title: 'Libtasn1 manual',
      chunks: [
        'asn1_der_decoding\nint asn1_der_decoding (asn1_node * element, const void * ider, int ider_len)\n' +
          'Fill the structure element with values of a DER encoding string.',
        BOOK_INDEX,
      ],
    });
    const shown = async (navigationWeight?: number) => {
      const tuning = navigationWeight ? { navigationWeight } : undefined;
      const { service } = searchServiceFor(lib, { embedder: false, tuning });
      const [result] = (await service.search({ query: 'asn1 der decoding', mode: 'keyword' })).groups;
      return result!.chunks.map((c) => c.snippet.map((s) => s.text).join(''));
    };
    // Without the discount the index comes first: it names the function four times.
    expect((await shown(1))[0]).toMatch(/^Function and Data Index/);
    const [first, second] = await shown();
    expect(first).toMatch(/^asn1_der_decoding int asn1_der_decoding \(/);
    expect(second).toContain('asn1_der_decoding … 20 asn1_der_decoding_element … 20');
    expect(second).not.toContain('. .');
  });
});

/** The back-of-book index of a PDF manual as its text layer reads. */
const BOOK_INDEX = [
  'Function and Data Index',
  '',
  'asn1_array2tree . . . . . . . . . . . . . . . . . . . . 9',
  'asn1_der_coding . . . . . . . . . . . . . . . . . . . . 17',
  'asn1_der_decoding . . . . . . . . . . . . . . . . . . . 20',
  'asn1_der_decoding_element . . . . . . . . . . . . . . . 20',
  'asn1_der_decoding_startEnd . . . . . . . . . . . . 21 asn1_decode_simple_der . . . . . . . 22',
  'asn1_delete_element . . . . . . . . . . . . . . . . . . 9',
].join('\n');
