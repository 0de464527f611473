import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { parseContent, ParseFailure } from '../../src/main/core/ingest';
import { entriesFromLocalHeaders } from '../../src/main/core/ingest/zip-local-headers';
import { makeDocx } from '../fixtures/documents';
import { makeXlsx } from '../fixtures/formats';

/**
 * Word documents, workbooks, slides and e-books are zip archives whose table
 * of contents is written last: a download or copy that stops short loses it
 * first. Before, every such file failed "it is not a zip archive", however
 * much of it survived.
 */
async function streamed(bytes: Uint8Array): Promise<Uint8Array> {
  // As streaming writers do: each part's sizes in a data descriptor after its data (flag bit 3).
  return (await JSZip.loadAsync(bytes)).generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    streamFiles: true,
  });
}

async function outcome(bytes: Uint8Array) {
  try {
    return { parsed: await parseContent({ kind: 'bytes', bytes, fileName: 'cut.docx', mimeType: '' }) };
  } catch (error) {
    if (error instanceof ParseFailure) return { failure: error };
    throw error;
  }
}

describe('a Word document cut short', () => {
  it('reads the parts written before the cut at every cut point, or says it ends early', async () => {
    const docx = await makeDocx([
      { heading: 'Beekeeping', level: 1, paragraphs: ['Hives need a dry floor and shelter from the wind.'] },
    ]);
    for (const [name, bytes] of [
      ['sizes in the headers', docx],
      ['sizes in data descriptors', await streamed(docx)],
    ] as const) {
      let read = 0;
      for (let cut = 0.02; cut < 1; cut += 0.02) {
        const at = `${name}, ${Math.round(cut * 100)}%`;
        const { parsed, failure } = await outcome(bytes.slice(0, Math.floor(bytes.length * cut)));
        if (failure) {
          expect(failure.reason, at).toBe('corrupt');
          expect(failure.message, at).toMatch(
            /^This Word document ends early, as an interrupted download or copy does, and its text was cut off with it\.|it is not a zip archive/,
          );
          continue;
        }
        read++;
        expect(parsed!.text, at).toContain('Hives need a dry floor');
        expect(parsed!.damage, at).toBe(
          'This Word document ends early, as an interrupted download or copy does: Trove indexed what it still holds.',
        );
      }
      // The docx library writes document.xml early and its styles and settings after it.
      expect(read, name).toBeGreaterThanOrEqual(10);
    }
  });

  it('reads its body up to the cut when the cut went through it', async () => {
    const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} tells of hive number ${i + 1}.`);
    const docx = Buffer.from(await makeDocx([{ heading: 'Hives', level: 1, paragraphs }]));
    const body = entriesFromLocalHeaders(docx, 100).find((entry) => entry.name === 'word/document.xml')!;
    // Its namespaces fill the first part of the compressed data; the paragraphs follow.
    const { parsed } = await outcome(
      docx.subarray(0, body.localHeaderOffset + 30 + Math.floor(body.compressedSize * 0.8)),
    );
    expect(parsed?.text).toContain('Paragraph 1 tells of hive number 1.');
    expect(parsed?.text).not.toContain('Paragraph 80 tells');
    expect(parsed?.damage).toMatch(/^This Word document ends early/);
  });

  it('reads a table that names a style when the style sheet is missing', async () => {
    const zip = await JSZip.loadAsync(
      await makeDocx([
        {
          heading: 'Frames',
          level: 1,
          table: [
            ['Frame', 'Honey'],
            ['A', '2 kg'],
          ],
        },
      ]),
    );
    zip.file(
      'word/document.xml',
      (await zip.file('word/document.xml')!.async('string')).replace(
        '<w:tblPr>',
        '<w:tblPr><w:tblStyle w:val="TableGrid"/>',
      ),
    );
    zip.remove('word/styles.xml');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    const parsed = await parseContent({ kind: 'bytes', bytes, fileName: 'frames.docx', mimeType: '' });
    expect(parsed.text).toContain('2 kg');
  });

  it('reads a link whose target was cut off with the relationships as its text', async () => {
    const zip = await JSZip.loadAsync(await makeDocx([{ heading: 'Links', level: 1, paragraphs: ['See the guide.'] }]));
    const body = await zip.file('word/document.xml')!.async('string');
    const link = '<w:hyperlink r:id="rId999"><w:r><w:t>the hive guide</w:t></w:r></w:hyperlink>';
    zip.file('word/document.xml', body.replace('<w:t xml:space="preserve">See the guide.</w:t></w:r>', `$&${link}`));
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    const parsed = await parseContent({ kind: 'bytes', bytes, fileName: 'links.docx', mimeType: '' });
    expect(parsed.text).toContain('See the guide.the hive guide');
  });

  it('is read whole, without a note, when nothing is missing', async () => {
    const { parsed } = await outcome(
      await makeDocx([{ heading: 'Bees', level: 1, paragraphs: ['Queens lay eggs in spring.'] }]),
    );
    expect(parsed?.damage).toBeUndefined();
  });
});

describe('a workbook cut short before its workbook.xml', () => {
  it('reads the sheets it holds, in the order of their numbers, as Sheet 1, Sheet 2', async () => {
    const xlsx = Buffer.from(
      await makeXlsx([
        {
          name: 'Beds',
          rows: [
            ['Bed', 'Plants'],
            ['North', 12],
          ],
        },
        {
          name: 'Tools',
          rows: [
            ['Tool', 'Count'],
            ['Rake', 3],
          ],
        },
      ]),
    );
    // exceljs, like other streaming writers, writes the workbook part last.
    const workbook = entriesFromLocalHeaders(xlsx, 100).find((entry) => entry.name === 'xl/workbook.xml')!;
    const parsed = await parseContent({
      kind: 'bytes',
      bytes: xlsx.subarray(0, workbook.localHeaderOffset),
      fileName: 'garden.xlsx',
      mimeType: '',
    });
    expect(parsed.text).toMatch(/^# Sheet 1\n\n\| Bed \| Plants \|[^]*# Sheet 2\n\n\| Tool \| Count \|/);
    expect(parsed.damage).toMatch(/^This Excel workbook ends early/);
  });
});

describe('entries read from their local headers', () => {
  it('are delimited by the data descriptor whose size matches, not by a signature inside the data', async () => {
    const zip = new JSZip();
    // Stored bytes that hold a descriptor signature followed by sizes that do not match the distance.
    const decoy = Buffer.concat([
      Buffer.from('before '),
      Buffer.from([0x50, 0x4b, 0x07, 0x08]),
      Buffer.alloc(12, 7),
      Buffer.from(' after'),
    ]);
    zip.file('decoy.bin', decoy, { compression: 'STORE' });
    zip.file('notes.txt', 'The second part.', { compression: 'DEFLATE' });
    const bytes = Buffer.from(await zip.generateAsync({ type: 'uint8array', streamFiles: true }));
    const entries = entriesFromLocalHeaders(bytes, 100);
    expect(entries.map((e) => [e.name, e.compressedSize, e.uncompressedSize])).toEqual([
      ['decoy.bin', decoy.length, decoy.length],
      ['notes.txt', expect.any(Number), 'The second part.'.length],
    ]);
    // Cut inside the second part: it is listed as cut, with the data that is left.
    const cut = entriesFromLocalHeaders(bytes.subarray(0, entries[1]!.localHeaderOffset + 50), 100);
    expect(cut.map((e) => [e.name, e.cut ?? false])).toEqual([
      ['decoy.bin', false],
      ['notes.txt', true],
    ]);
  });
});
