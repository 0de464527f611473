import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { chunkDocument } from '../../src/main/core/ingest/chunking/chunker';
import { resolveLimits } from '../../src/main/core/ingest/limits';
import { parseContent } from '../../src/main/core/ingest/parse';
import type { ParsedDocument } from '../../src/main/core/ingest/types';
import { makeEml, makeEpub, makeOdf, makePptx, makeRtf, makeSampleEpub, makeXlsx } from '../fixtures/formats';
import { buildZip } from '../fixtures/zip-writer';
import { makeSampleDocx } from '../fixtures/documents';
import { encodeLegacy } from '../fixtures/legacy-text';

const file = (
  fileName: string,
  bytes: Uint8Array | string,
  mimeType = 'application/octet-stream',
): DocumentContent & { kind: 'bytes' } => ({
  kind: 'bytes',
  bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
  mimeType,
  fileName,
});

async function failureOf(
  content: DocumentContent,
  limits = resolveLimits(),
): Promise<{ reason: string; message: string }> {
  try {
    await parseContent(content, { limits });
  } catch (error) {
    const e = error as { reason?: string; message: string };
    return { reason: e.reason ?? 'thrown', message: e.message };
  }
  throw new Error('expected the parse to fail');
}

describe('slides', () => {
  it('reads the lines of a PPTX text box set in a monospaced font as code', async () => {
    const deck = await makePptx([
      {
        title: 'Setup',
        body: 'Install it, then sync:',
        code: 'npm install -g trove\ntrove sync --all   # every folder',
      },
    ]);
    const parsed = await parseContent(file('setup.pptx', deck));
    expect(parsed.text).toBe(
      '# Setup\n\nInstall it, then sync:\n\n```\nnpm install -g trove\ntrove sync --all   # every folder\n```',
    );
  });

  it('reads a PPTX as one section per slide in order, with titles, tables, notes and slide numbers as pages', async () => {
    const parsed = await parseContent(
      file(
        'harbour.pptx',
        await makePptx(
          [
            {
              title: 'Dredging schedule',
              body: 'Phase one starts in March.\nPhase two in May.',
              notes: 'Mention the tide tables.',
            },
            {
              title: 'Costs',
              table: [
                ['Item', 'Cost'],
                ['Crane', '4000'],
              ],
            },
            { title: 'Risks', body: '# of storms per year: 4' },
          ],
          'Harbour plan',
        ),
      ),
    );
    expect(parsed.title).toBe('Harbour plan');
    expect(parsed.pageUnit).toBe('slide');
    expect(parsed.text).toContain(
      '# Dredging schedule\n\nPhase one starts in March.\nPhase two in May.\n\nSpeaker notes: Mention the tide tables.',
    );
    expect(parsed.text).toContain('# Costs\n\n| Item | Cost |\n| --- | --- |\n| Crane | 4000 |');
    // Slide text that looks like a heading stays text.
    expect(parsed.text).toContain('\\# of storms per year: 4');
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expect(chunks.map((c) => [c.headingPath, c.page])).toEqual([
      [['Dredging schedule'], 1],
      [['Costs'], 2],
      [['Risks'], 3],
    ]);
  });

  it('reads an ODP with its title frames, body, notes and page numbers, leaving out footers', async () => {
    const page = (title: string, body: string, notes: string): string =>
      `<draw:page draw:name="p"><draw:frame presentation:class="title"><draw:text-box><text:p>${title}</text:p></draw:text-box></draw:frame>` +
      `<draw:frame presentation:class="outline"><draw:text-box><text:list><text:list-item><text:p>${body}</text:p></text:list-item></text:list></draw:text-box></draw:frame>` +
      `<draw:frame presentation:class="footer"><draw:text-box><text:p>Company confidential</text:p></draw:text-box></draw:frame>` +
      `<presentation:notes><draw:page-thumbnail/><draw:frame presentation:class="notes"><draw:text-box><text:p>${notes}</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>`;
    const parsed = await parseContent(
      file(
        'deck.odp',
        makeOdf(
          'odp',
          page('Opening', 'Welcome everyone', 'Smile') + page('Budget', 'We need cranes', 'Show the numbers'),
        ),
      ),
    );
    expect(parsed.text).toBe(
      '# Opening\n\n- Welcome everyone\n\nSpeaker notes: Smile\n\n# Budget\n\n- We need cranes\n\nSpeaker notes: Show the numbers',
    );
    expect(parsed.pages).toEqual([
      { page: 1, start: 0 },
      { page: 2, start: parsed.text.indexOf('# Budget') },
    ]);
    expect(parsed.title).toBe('Opening');
  });
});

describe('spreadsheets', () => {
  const rows = (n: number): unknown[][] => [
    ['Plot', 'Crop', 'Yield (kg)', 'Planted'],
    ...Array.from({ length: n }, (_, i) => [
      `P${i + 1}`,
      i % 2 ? 'Beans' : 'Kale',
      { formula: `${i}*2`, result: i * 2 + 1 },
      new Date(Date.UTC(2026, 2, 1 + (i % 28))),
    ]),
  ];

  it('reads an XLSX as one section per sheet, repeating the header row in every table group, with cached formula values', async () => {
    const parsed = await parseContent(
      file(
        'garden.xlsx',
        await makeXlsx(
          [
            { name: 'Harvest', rows: rows(120) },
            {
              name: 'Tools',
              rows: [
                ['Tool', 'Count'],
                ['Spade', 3],
              ],
            },
          ],
          'Garden log',
        ),
      ),
    );
    expect(parsed.title).toBe('Garden log');
    expect(
      parsed.text.startsWith(
        '# Harvest\n\n| Plot | Crop | Yield (kg) | Planted |\n| --- | --- | --- | --- |\n| P1 | Kale | 1 | 2026-03-01 |',
      ),
    ).toBe(true);
    expect(parsed.text).toContain('# Tools\n\n| Tool | Count |\n| --- | --- |\n| Spade | 3 |');
    expect(parsed.text).not.toContain('*2');
    const chunks = chunkDocument(parsed, { contentType: 'data' });
    const harvest = chunks.filter((c) => c.headingPath[0] === 'Harvest');
    expect(harvest.length).toBeGreaterThan(2);
    for (const chunk of harvest) expect(chunk.text).toContain('| Plot | Crop | Yield (kg) | Planted |');
    expect(chunks.at(-1)!.headingPath).toEqual(['Tools']);
  });

  it('reads an ODS with repeated rows and columns expanded, padding rows dropped, displayed values kept', async () => {
    const cell = (text: string, extra = ''): string =>
      `<table:table-cell ${extra}><text:p>${text}</text:p></table:table-cell>`;
    const body =
      `<table:table table:name="Stock"><table:table-row>${cell('Item')}${cell('Qty')}</table:table-row>` +
      `<table:table-row>${cell('Seeds')}${cell('12', 'table:formula="of:=[.B3]*3" office:value-type="float" office:value="12"')}</table:table-row>` +
      `<table:table-row table:number-rows-repeated="2">${cell('Pots')}${cell('5')}</table:table-row>` +
      `<table:table-row>${cell('Wide', 'table:number-columns-repeated="3"')}<table:table-cell table:number-columns-repeated="16000"/></table:table-row>` +
      `<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>`;
    const parsed = await parseContent(file('stock.ods', makeOdf('ods', body, 'Shed stock')));
    expect(parsed.title).toBe('Shed stock');
    expect(parsed.text).toBe(
      '# Stock\n\n| Item | Qty |  |\n| --- | --- | --- |\n| Seeds | 12 |  |\n| Pots | 5 |  |\n| Pots | 5 |  |\n| Wide | Wide | Wide |',
    );
  });

  it('skips a workbook over the row limit with the figure in its reason', async () => {
    const bytes = await makeXlsx([{ name: 'Big', rows: rows(50) }]);
    const failure = await failureOf(file('big.xlsx', bytes), resolveLimits({ sheet: { maxRows: 20 } }));
    expect(failure).toEqual({
      reason: 'exceeds_limits',
      message:
        'This Excel workbook has more than 20 rows with content; Trove indexes workbooks up to that size, so it was not indexed. Split it into smaller files to index it.',
    });
  });

  it('cuts a cell past the cell limit', async () => {
    const bytes = await makeXlsx([{ name: 'S', rows: [['Note'], ['x'.repeat(5000)]] }]);
    const parsed = await parseContent(file('long.xlsx', bytes));
    expect(parsed.text).toContain(`| ${'x'.repeat(999)}… |`);
  });

  it('says why an .xls workbook is not read', async () => {
    expect(await failureOf(file('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3])))).toEqual({
      reason: 'unsupported_type',
      message: expect.stringMatching(/^Trove cannot read Excel 97-2003 workbooks \(\.xls\).*Save the file as \.xlsx/),
    });
  });
});

describe('word processing', () => {
  it('reads an ODT with headings by outline level, lists, tables and its meta title', async () => {
    const body =
      '<text:h text:outline-level="1">Pond care</text:h><text:p>Skim <text:span>leaves</text:span> weekly.<text:s text:c="2"/>Done<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>In autumn daily.</text:p></text:note-body></text:note></text:p>' +
      '<text:h text:outline-level="2">Fish</text:h><text:list><text:list-item><text:p>Koi</text:p></text:list-item><text:list-item><text:p>Goldfish</text:p></text:list-item></text:list>' +
      '<table:table><table:table-row><table:table-cell><text:p>Month</text:p></table:table-cell><table:table-cell><text:p>Task</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>May</text:p></table:table-cell><table:table-cell><text:p>Feed</text:p></table:table-cell></table:table-row></table:table>';
    const parsed = await parseContent(file('pond.odt', makeOdf('odt', body, 'Pond handbook')));
    expect(parsed.title).toBe('Pond handbook');
    expect(parsed.text).toBe(
      '# Pond care\n\nSkim leaves weekly.  Done In autumn daily.\n\n## Fish\n\n- Koi\n- Goldfish\n\n| Month | Task |\n| --- | --- |\n| May | Feed |',
    );
  });

  it('reads ODT paragraphs and spans in a code style or a monospaced font as code', async () => {
    // As LibreOffice and pandoc write them: named styles in styles.xml, the automatic ones paragraphs name in content.xml.
    const namedStyles =
      '<style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" style:family="paragraph"/>' +
      '<style:style style:name="Source_20_Text" style:display-name="Source Text" style:family="text"/>' +
      '<style:style style:name="Body" style:family="paragraph"><style:text-properties style:font-name="Liberation Serif"/></style:style>';
    const automaticStyles =
      '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Preformatted_20_Text"/>' +
      '<style:style style:name="P2" style:family="paragraph"><style:text-properties style:font-name="DejaVu Sans Mono"/></style:style>' +
      '<style:style style:name="P3" style:family="paragraph" style:parent-style-name="Body"/>' +
      '<style:style style:name="T1" style:family="text"><style:text-properties style:font-name="Courier New"/></style:style>';
    const body =
      '<text:p text:style-name="P3">Call <text:span text:style-name="Source_20_Text">path.join()</text:span> or <text:span text:style-name="T1">__dirname</text:span>:</text:p>' +
      '<text:p text:style-name="P1">path.join(&apos;/foo&apos;, &apos;bar&apos;);</text:p>' +
      '<text:p text:style-name="P1"><text:s text:c="2"/>// Returns: &apos;/foo/bar&apos;</text:p>' +
      '<text:p text:style-name="P3">Then:</text:p><text:p text:style-name="P2">$ ls *_test</text:p>';
    const parsed = await parseContent(file('path.odt', makeOdf('odt', body, 'Path', { automaticStyles, namedStyles })));
    expect(parsed.text).toBe(
      "Call `path.join()` or `__dirname`:\n\n```\npath.join('/foo', 'bar');\n  // Returns: '/foo/bar'\n```\n\nThen:\n\n```\n$ ls *_test\n```",
    );
  });

  it('titles an ODT without a usable meta title by its first heading, as a Word document', async () => {
    const body =
      '<text:p>Draft 3</text:p><text:h text:outline-level="2">Path</text:h><text:p>The node:path module.</text:p>';
    for (const meta of [undefined, 'Untitled']) {
      expect((await parseContent(file('path.odt', makeOdf('odt', body, meta)))).title).toBe('Path');
    }
  });

  it('reads RTF text with its escapes, leaving out pictures, fonts and properties, and takes its title', async () => {
    const parsed = await parseContent(
      file('letter.rtf', makeRtf('Letter to Ana', ['Dear Ana,', 'The café opens at 8 — bring €5.'])),
    );
    expect(parsed).toMatchObject({ title: 'Letter to Ana', format: 'plain' });
    expect(parsed.text).toBe('Dear Ana,\n\nThe café opens at 8 — bring €5.');
  });
});

describe('RTF structure', () => {
  // As Word writes it: heading styles in the style sheet, paragraphs that name them, a table whose cells end in \cell.
  const word = String.raw`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}
{\stylesheet{\ql \f0 \snext0 Normal;}{\s1\ql \outlinelevel0 \b\fs32 \sbasedon0 \snext0 heading 1;}
{\s2\ql \b\fs28 \sbasedon0 \snext0 heading 2;}{\*\cs10 \additive Default Paragraph Font;}}
{\info{\author Ana}}
\pard\plain \s1\ql \outlinelevel0 \b\fs32 {Signals}\par
\pard\plain \ql \f0 SIGHUP and SIGINT end a process.\par
\pard\plain \s2\ql \b\fs28 Table of signals\par
\trowd\cellx2000\cellx6000\pard\plain \intbl SIGHUP\cell Hang up\cell\row
\trowd\cellx2000\cellx6000\pard\plain \intbl SIGINT\cell Interrupt {\i from} the keyboard\cell\row
\pard\plain \ql IGNORED SIGNALS\par
\pard\plain \ql Nothing else.\par}`;

  it('declares headings by style and outline level, titles the document by the first, and keeps table cells apart', async () => {
    const parsed = await parseContent(file('signals.rtf', word));
    expect(parsed.title).toBe('Signals');
    expect(parsed.headings).toEqual([
      { lines: ['Signals'], level: 1 },
      { lines: ['Table of signals'], level: 2 },
    ]);
    expect(parsed.text).toBe(
      'Signals\n\nSIGHUP and SIGINT end a process.\n\nTable of signals\n\nSIGHUP\tHang up\nSIGINT\tInterrupt from the keyboard\n\nIGNORED SIGNALS\n\nNothing else.',
    );
    // The declared headings, not a guess from the lines: a line in capitals is text here.
    const paths = chunkDocument(parsed, { contentType: 'documentation' }).map((c) => c.headingPath);
    expect(paths).toEqual([['Signals'], ['Signals', 'Table of signals']]);
  });

  it('decodes the code page a document declares: curly quotes in Windows-1252, Japanese in code page 932', async () => {
    const hex = (bytes: Uint8Array) => [...bytes].map((byte) => `\\'${byte.toString(16)}`).join('');
    const western = String.raw`{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times;}}\pard It\'92s the \'93best\'94 pump \'96 12\'80.\par}`;
    expect((await parseContent(file('pump.rtf', western))).text).toBe('It’s the “best” pump – 12€.');
    const japanese = `{\\rtf1\\ansi\\ansicpg932{\\fonttbl{\\f0 MS Mincho;}}\\pard ${hex(encodeLegacy('庭の手入れ', 'shift_jis'))}\\par}`;
    expect((await parseContent(file('niwa.rtf', japanese))).text).toBe('庭の手入れ');
  });

  it('reads a file cut short up to the cut', async () => {
    const parsed = await parseContent(file('signals.rtf', word.slice(0, word.indexOf('Table of signals'))));
    expect(parsed.text).toBe('Signals\n\nSIGHUP and SIGINT end a process.');
  });
});

describe('e-books', () => {
  it('reads EPUB chapters in spine order under their table-of-contents labels, with title and author', async () => {
    const bytes = makeSampleEpub();
    const parsed = await parseContent(file('orchard.epub', bytes));
    expect(parsed.title).toBe('The Quiet Orchard');
    expect(parsed.metadata).toEqual({ author: 'Mara Lind', authors: ['Mara Lind'] });
    expect(parsed.text).toBe(
      '# Chapter One: Blossom\n\nApple trees bloomed in April.\n\n# Chapter Two: Frost\n\n### Night\n\nThe frost came early that year.',
    );
    const paths = chunkDocument(parsed, { contentType: 'documentation' }).map((c) => c.headingPath);
    expect(paths).toEqual([['Chapter One: Blossom'], ['Chapter Two: Frost', 'Night']]);
  });

  it('skips a book whose chapters are encrypted (DRM)', async () => {
    const bytes = makeEpub({
      title: 'T',
      author: 'A',
      chapters: [{ file: 'a.xhtml', label: 'One', body: '<p>x</p>' }],
      encrypted: ['a.xhtml'],
    });
    expect(await failureOf(file('drm.epub', bytes))).toEqual({
      reason: 'unsupported_type',
      message: expect.stringMatching(/^This e-book is protected by DRM/),
    });
  });
});

describe('mail', () => {
  const eml = makeEml({
    subject: 'Greenhouse invoice',
    from: 'Ann Berg <ann@example.org>',
    to: 'bob@example.org',
    date: 'Tue, 03 Feb 2026 09:30:00 +0000',
    messageId: 'invoice-1@example.org',
    html: '<p>Hello Bob,</p><ul><li>Glass panes</li><li>Frames</li></ul>',
    attachments: [{ name: 'notes.txt', type: 'text/plain', content: 'Pay by March.' }],
  });

  it('reads a message: subject as title, sender, recipients and date as metadata, the HTML body converted', async () => {
    const parsed: ParsedDocument = await parseContent(file('invoice.eml', eml));
    expect(parsed.title).toBe('Greenhouse invoice');
    expect(parsed.metadata).toEqual({
      from: ['Ann Berg <ann@example.org>'],
      to: ['bob@example.org'],
      date: '2026-02-03T09:30:00.000Z',
      messageId: '<invoice-1@example.org>',
      attachments: ['notes.txt'],
    });
    expect(parsed.text).toBe(
      'Subject: Greenhouse invoice\nFrom: Ann Berg <ann@example.org>\nTo: bob@example.org\nDate: 2026-02-03T09:30:00.000Z\nAttachments: notes.txt\n\nHello Bob,\n\n-   Glass panes\n-   Frames',
    );
  });

  it('reads one attachment out of its message as the file it is', async () => {
    const content: DocumentContent = { ...file('notes.txt', eml, 'message/rfc822'), part: '2' };
    expect((await parseContent(content)).text).toBe('Pay by March.');
  });

  it('refuses a file named .eml that holds no message', async () => {
    expect(await failureOf(file('fake.eml', 'just some words without headers'))).toEqual({
      reason: 'corrupt',
      message: 'The file could not be read as an e-mail message: it has no message headers.',
    });
  });
});

describe('broken and hostile files of the new formats', () => {
  it.each([
    ['deck.pptx', 'PowerPoint presentation'],
    ['book.xlsx', 'Excel workbook'],
    ['text.odt', 'OpenDocument text'],
    ['slides.odp', 'OpenDocument presentation'],
    ['sheet.ods', 'OpenDocument spreadsheet'],
    ['novel.epub', 'EPUB e-book'],
  ])('%s that is not a zip archive is corrupt, named as a %s', async (name, what) => {
    expect(await failureOf(file(name, 'PK\u0003\u0004 this is not really a zip'))).toEqual({
      reason: 'corrupt',
      message: `The file could not be read as ${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what}: it is not a zip archive.`,
    });
  });

  it('refuses a password-protected (encrypted) OpenDocument file', async () => {
    const bytes = buildZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
      { name: 'content.xml', data: '<x/>', encrypted: true },
    ]);
    expect(await failureOf(file('secret.odt', bytes))).toEqual({
      reason: 'unsupported_type',
      message: 'This OpenDocument text is encrypted (password-protected); remove the password to let Trove index it.',
    });
  });

  it('refuses XML nested past the limit, and an entity bomb, without expanding either', async () => {
    const deep = `${'<text:span>'.repeat(300)}x${'</text:span>'.repeat(300)}`;
    expect((await failureOf(file('deep.odt', makeOdf('odt', `<text:p>${deep}</text:p>`)))).reason).toBe(
      'exceeds_limits',
    );
    const bomb = buildZip([
      {
        name: 'content.xml',
        data: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;&b;&b;</x>',
      },
    ]);
    expect(await failureOf(file('laughs.odt', bomb))).toMatchObject({ reason: 'corrupt' });
  });

  it('names the part whose XML is malformed, and reads a file whose properties alone are damaged', async () => {
    const body = '<text:h text:outline-level="1">Pond care</text:h><text:p>Skim leaves weekly.</text:p>';
    expect(await failureOf(file('pond.odt', makeOdf('odt', body.replace('</text:p>', '</text:h>'))))).toEqual({
      reason: 'corrupt',
      message:
        'The file could not be read as an OpenDocument text: its content.xml is malformed XML (unexpected close tag).',
    });
    // meta.xml holds only the title: a damaged one costs the title set there, not the text.
    const odt = await parseContent(file('pond.odt', makeOdf('odt', body, 'Pond handbook</dc:titel>')));
    expect(odt).toMatchObject({ title: 'Pond care', text: '# Pond care\n\nSkim leaves weekly.' });

    const docx = await JSZip.loadAsync(await makeSampleDocx());
    const core = await docx.file('docProps/core.xml')!.async('string');
    docx.file('docProps/core.xml', core.replace('</cp:coreProperties>', ''));
    const word = await parseContent(file('guide.docx', await docx.generateAsync({ type: 'uint8array' })));
    expect(word.title).toBe('Field Guide');
    expect(word.text).toContain('how the greenhouse sensors are installed');

    // An e-book's table of contents only labels its chapters.
    const book = makeEpub({
      title: 'Pond care',
      author: 'Ann Berg',
      chapters: [{ file: 'a.xhtml', label: 'Skimming</b>', body: '<h1>Skimming</h1><p>Skim leaves weekly.</p>' }],
    });
    expect((await parseContent(file('pond.epub', book))).text).toContain('Skim leaves weekly.');
  });

  it('skips a spreadsheet whose repeated rows would pass the row limit', async () => {
    const body =
      '<table:table table:name="S"><table:table-row table:number-rows-repeated="2000000"><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>';
    expect((await failureOf(file('repeat.ods', makeOdf('ods', body)))).reason).toBe('exceeds_limits');
  });
});
