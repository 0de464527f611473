import { PDFDict, PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { chunkDocument, detectType, parseContent } from '../../src/main/core/ingest';
import { nestsDeeperThan } from '../../src/main/core/ingest/parsers/html-depth';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { makeDocx, makePdf, makeSampleDocx } from '../fixtures/documents';

const bytes = (
  data: Uint8Array | string,
  fileName: string,
  mimeType = 'application/octet-stream',
): DocumentContent => ({
  kind: 'bytes',
  bytes: typeof data === 'string' ? new TextEncoder().encode(data) : data,
  mimeType,
  fileName,
});

describe('PDF parser', () => {
  it('extracts the text of every page and records where each page starts', async () => {
    const pdf = await makePdf([
      'Solar panels convert light.\nThey need clean glass.\n\nInverters turn DC into AC.',
      'Batteries store the surplus for the night.',
      'Maintenance: inspect wiring every autumn.',
    ]);
    const parsed = await parseContent(bytes(pdf, 'energy.pdf', 'application/pdf'));

    expect(parsed.format).toBe('plain');
    expect(parsed.pages?.map((p) => p.page)).toEqual([1, 2, 3]);
    const pageText = (n: number): string => {
      const pages = parsed.pages ?? [];
      return parsed.text.slice(pages[n - 1]?.start, pages[n]?.start ?? parsed.text.length).trim();
    };
    expect(pageText(1)).toBe('Solar panels convert light.\nThey need clean glass.\n\nInverters turn DC into AC.');
    expect(pageText(2)).toBe('Batteries store the surplus for the night.');
    expect(pageText(3)).toBe('Maintenance: inspect wiring every autumn.');
  });

  it('gives chunks the page they start on', async () => {
    const pages = [1, 2, 3].map((n) =>
      [0, 1, 2]
        .map((p) => Array.from({ length: 6 }, (_, i) => `Page ${n} part ${p} sentence ${i} on topic ${n}.`).join('\n'))
        .join('\n\n'),
    );
    const parsed = await parseContent(bytes(await makePdf(pages), 'long.pdf'));
    const chunks = chunkDocument(parsed, { contentType: 'notes' });
    const starts = parsed.pages ?? [];
    for (const chunk of chunks) {
      const expected = [...starts].reverse().find((p) => p.start <= chunk.charStart)?.page;
      expect(chunk.page).toBe(expected);
      expect(chunk.text).toMatch(new RegExp(`^Page ${expected} `));
    }
    // Overlap can start a chunk near the end of the previous page: that page is the one recorded.
    expect(chunks.map((c) => c.page)).toEqual([1, 1, 2]);
  });

  it('is recognised by its header even under a misleading name', () => {
    expect(detectType(bytes('%PDF-1.7\n...', 'report.txt'))).toEqual({ kind: 'pdf' });
  });

  it('joins a word its producer hyphenated at a line end with U+2010', async () => {
    const parsed = await parseContent(bytes(await pdfWithTypesetHyphen(), 'mill.pdf', 'application/pdf'));
    expect(parsed.text).toBe('The mill is available\nin two sizes.');
  });
});

/**
 * A PDF whose font maps the byte of its line-end hyphen to the glyph
 * `uni2010`, so the text layer reads U+2010 HYPHEN there, as it does from
 * producers that hyphenate with that character.
 */
async function pdfWithTypesetHyphen(): Promise<Uint8Array> {
  const draft = await PDFDocument.create();
  const font = await draft.embedFont(StandardFonts.Helvetica);
  const page = draft.addPage([595, 842]);
  // U+00AD is byte 0xAD in WinAnsi; the encoding below names its glyph.
  page.drawText('The mill is avail\u00ad', { x: 50, y: 800, size: 12, font });
  page.drawText('able in two sizes.', { x: 50, y: 784, size: 12, font });
  const pdf = await PDFDocument.load(await draft.save());
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font')) {
      const differences = [0xad, PDFName.of('uni2010')];
      object.set(
        PDFName.of('Encoding'),
        pdf.context.obj({ BaseEncoding: 'WinAnsiEncoding', Differences: differences }),
      );
    }
  }
  return pdf.save();
}

describe('DOCX parser', () => {
  it('turns Word headings, bullets and tables into Markdown', async () => {
    const parsed = await parseContent(bytes(await makeSampleDocx(), 'guide.docx'));
    expect(parsed.format).toBe('markdown');
    expect(parsed.title).toBe('Field Guide');
    expect(parsed.text).toMatch(/^# Field Guide$/m);
    expect(parsed.text).toMatch(/^## Installation$/m);
    expect(parsed.text).toMatch(/^### Calibration$/m);
    expect(parsed.text).toMatch(/^- +Attach the bracket$/m);
    expect(parsed.text).toContain('| Sensor | Offset |\n| --- | --- |\n| North bench | +1.5 |');
  });

  it('gives chunks the Word heading path they sit under', async () => {
    const parsed = await parseContent(bytes(await makeSampleDocx(), 'guide.docx'));
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    const calibration = chunks.find((c) => c.text.includes('reference hygrometer'));
    expect(calibration?.headingPath).toEqual(['Field Guide', 'Installation', 'Calibration']);
    const install = chunks.find((c) => c.text.includes('bench height'));
    expect(install?.headingPath).toEqual(['Field Guide', 'Installation']);
  });

  it('keeps code as code: paragraphs in a code style or a monospaced font, and code words within a sentence', async () => {
    // As pandoc writes a code block (one "Source Code" paragraph, lines joined by breaks) and as people type code in Word.
    const mono = (text: string) => new TextRun({ text, font: 'Courier New' });
    const doc = new Document({
      styles: {
        paragraphStyles: [{ id: 'SourceCode', name: 'Source Code', run: { font: 'Consolas' } }],
        characterStyles: [{ id: 'VerbatimChar', name: 'Verbatim Char', run: { font: 'Consolas' } }],
      },
      sections: [
        {
          children: [
            new Paragraph({
              children: [
                new TextRun('Call '),
                new TextRun({ text: 'fs_mkdir()', style: 'VerbatimChar' }),
                new TextRun(' or '),
                mono('__dirname'),
                new TextRun('.'),
              ],
            }),
            new Paragraph({
              style: 'SourceCode',
              children: [
                new TextRun('try {'),
                new TextRun({ text: '  console.log(`made ${dir}`);', break: 1 }),
                new TextRun({ text: '} catch (e) {}', break: 1 }),
              ],
            }),
            new Paragraph({ children: [new TextRun('Then, in a shell:')] }),
            new Paragraph({ children: [mono('$ ls *_test')] }),
            new Paragraph({ children: [mono('  [x] done')] }),
          ],
        },
      ],
    });
    const parsed = await parseContent(bytes(new Uint8Array(await Packer.toBuffer(doc)), 'code.docx'));
    expect(parsed.text).toContain('Call `fs_mkdir()` or `__dirname`.');
    expect(parsed.text).toContain('```\ntry {\n  console.log(`made ${dir}`);\n} catch (e) {}\n```');
    expect(parsed.text).toContain('```\n$ ls *_test\n  [x] done\n```');
  });

  it('keeps a document without headings as plain paragraphs', async () => {
    const docx = await makeDocx([{ heading: '', level: 1, paragraphs: ['Only a paragraph here.'] }]);
    const parsed = await parseContent(bytes(docx, 'plain.docx'));
    expect(parsed.text).toContain('Only a paragraph here.');
  });
});

describe('HTML parser', () => {
  const page = `<!doctype html><html><head><title>Release &amp; notes</title><style>p{color:red}</style>
    <script>trackVisitor()</script></head><body><nav><a href="/">Home</a> | <a href="/docs">Docs</a></nav>
    <h1>Release 2.0</h1><p>Faster <strong>sync</strong> and <a href="https://example.test/x">smaller</a> files.</p>
    <h2>Changes</h2><ul><li>New importer</li><li>Fixed crash</li></ul>
    <table><thead><tr><th>Area</th><th>Change</th></tr></thead><tbody><tr><td>Sync</td><td>2x | faster</td></tr></tbody></table>
    <pre><code>trove sync --all</code></pre></body></html>`;

  it('keeps headings, lists, tables and code and drops script, style and navigation', async () => {
    const parsed = await parseContent({ kind: 'text', text: page, mimeType: 'text/html' });
    expect(parsed.format).toBe('markdown');
    expect(parsed.title).toBe('Release & notes');
    expect(parsed.text).toMatch(/^# Release 2\.0$/m);
    expect(parsed.text).toMatch(/^## Changes$/m);
    expect(parsed.text).toMatch(/^- +New importer$/m);
    expect(parsed.text).toContain('| Area | Change |\n| --- | --- |\n| Sync | 2x \\| faster |');
    expect(parsed.text).toContain('```\ntrove sync --all\n```');
    expect(parsed.text).not.toContain('trackVisitor');
    expect(parsed.text).not.toContain('color:red');
    expect(parsed.text).not.toContain('Docs');
  });

  const html = async (page: string) => parseContent({ kind: 'text', text: page, mimeType: 'text/html' });

  it('writes a table cell as one line of Markdown: its list items apart, its links and code kept', async () => {
    // An index laid out as a table of lists (Sphinx's genindex), and a cell of paragraphs.
    const parsed = await html(`<html><body><h1>Index – W</h1><table><tr><td><ul>
      <li><a href="pdb.html#whatis">whatis (pdb command)</a></li>
      <li>while<ul><li><a href="compound.html#while">statement</a>, <a href="ref.html#1">[1]</a></li></ul></li>
      </ul></td><td><p>Use <code>os.walk()</code></p><p>then<br>stop<script>x()</script></p></td></tr></table></body></html>`);
    expect(parsed.text).toContain(
      '| [whatis (pdb command)](pdb.html#whatis) while [statement](compound.html#while), [\\[1\\]](ref.html#1) | Use `os.walk()` then stop |',
    );
  });

  it("drops a manual's bars of page-turning links, keeping its menus of sections and links in the text", async () => {
    // A GNU (texinfo) page and a DocBook page: Next / Previous / Up / Home bars above and below the text.
    const parsed = await html(`<html><body><div class="header"><p>
      Next: <a href="Types.html" accesskey="n" rel="next">Types</a>, Previous: <a href="Basics.html" accesskey="p" rel="prev">The Basics</a>,
      Up: <a href="Using.html" accesskey="u" rel="up">Using libffi</a> &nbsp; [<a href="Index.html" title="Index" rel="index">Index</a>]</p></div><hr>
      <h3>2.2 Simple Example</h3><p>Here is a trivial example, see <a href="https://x.test" rel="nofollow noopener">the site</a>
      and <a href="https://y.test" rel="external">another</a>.</p>
      <ul class="section-toc"><li><a href="Primitive.html" accesskey="1">Primitive Types</a></li><li><a href="Structures.html" accesskey="2">Structures</a></li></ul>
      <table summary="Navigation footer"><tr><td><a accesskey="p" href="a.html">&lt;&lt; 2. Writing a New Tool</a></td>
      <td><a accesskey="u" href="up.html">Up</a></td><td><a accesskey="n" href="b.html">Distribution Documents &gt;&gt;</a></td></tr>
      <tr><td><a accesskey="h" href="index.html">Home</a></td></tr></table></body></html>`);
    expect(parsed.text).toContain('### 2.2 Simple Example');
    expect(parsed.text).toContain('[the site](https://x.test)');
    expect(parsed.text).toContain('[Primitive Types](Primitive.html)');
    for (const bar of ['Next:', 'Previous', 'Using libffi', 'Index', 'Writing a New Tool', 'Distribution', 'Home']) {
      expect(parsed.text).not.toContain(bar);
    }
  });

  it('keeps preformatted text that is not <pre><code> as code, verbatim, with its line breaks', async () => {
    // A GNU manual's example and a man2html page: a bare <pre>, with markup inside and <br> for new lines.
    const parsed = await html(`<html><body><h1>tar</h1><p>To extract:</p>
      <pre class="example">tar -xf archive.tar --wildcards '*.c'
  for f in *_test; do echo "\`$f\`"; done</pre>
      <pre><b>cp</b> [<i>OPTION</i>]... <i>SOURCE</i><br>  a \`\`\` run</pre><pre>   </pre></body></html>`);
    expect(parsed.text).toContain(
      '```\ntar -xf archive.tar --wildcards \'*.c\'\n  for f in *_test; do echo "`$f`"; done\n```',
    );
    expect(parsed.text).toContain('````\ncp [OPTION]... SOURCE\n  a ``` run\n````');
    expect(parsed.text).not.toContain('\\');
  });

  it("reads a documentation page's main content, without its menus, pop-ups, hidden text and site name", async () => {
    // The shape of an mdbook or rustdoc page: a help pop-up, a menu bar of
    // buttons and icon links, and the page itself in <main>.
    const parsed = await html(`<!DOCTYPE html><html><head><title>E0382 - Error codes index</title></head><body>
      <div id="help-container"><h2>Keyboard shortcuts</h2><p>Press S or / to search in the book</p></div>
      <div class="menu-bar"><button type="button" title="Change theme">Theme</button>
        <ul role="menu"><li role="none"><button role="menuitem">Coal</button></li></ul>
        <h1 class="menu-title">Error codes index</h1>
        <a href="print.html" title="Print this book"><i class="fa fa-print"></i></a></div>
      <main><h1 id="e0382"><a class="header" href="#e0382">Error code E0382</a></h1>
        <p>A variable was used after its contents have been <a href="#moves">moved elsewhere</a>.</p>
        <p hidden>Wording kept for old links</p><span aria-hidden="TRUE">decorative copy</span>
        <p style="color: gray; display:none">Preview line</p>
        <select aria-label="Edition"><option>2015</option><option>Deutsch</option></select>
        <pre><code>let y = x;</code><button class="copy-button">copy</button></pre>
        <a class="test-arrow" href="https://play.example/?code=let+y%3Dx" title="Run code"></a>
        <button class="accordion" aria-expanded="false">Can a moved value be used again?</button><div>Only after a new assignment.</div>
      </main><div role="contentinfo">Built with mdBook</div></body></html>`);
    expect(parsed.title).toBe('Error code E0382');
    expect(parsed.text).toMatch(
      /^# Error code E0382\n\nA variable was used after its contents have been moved elsewhere\.$/m,
    );
    expect(parsed.text).toContain('```\nlet y = x;\n```');
    expect(parsed.text).toContain('Can a moved value be used again?');
    for (const chrome of [
      'Keyboard',
      'search in the book',
      'Theme',
      'Coal',
      'Error codes index',
      'print.html',
      'play.example',
      'copy',
      '#e0382',
      'old links',
      'decorative',
      'Preview line',
      'Deutsch',
      'mdBook',
    ])
      expect(parsed.text).not.toContain(chrome);
  });

  it("takes a page's one article without the page around it, and keeps a page's own header when nothing marks its content", async () => {
    const post = await html(`<html><head><title>How I cook rice &ndash; Jane&#39;s kitchen</title></head><body>
      <header><a href="/">Jane's kitchen</a></header>
      <article><h1>How I cook rice</h1><p>Rinse the rice until the water runs clear.</p></article>
      <section class="comments"><p>Great post, thanks!</p></section></body></html>`);
    expect(post.title).toBe('How I cook rice');
    expect(post.text).toBe('# How I cook rice\n\nRinse the rice until the water runs clear.');

    // pandoc's standalone HTML puts the title and the authors in a header at the top of the body.
    const notes = await html(`<html><head><title>Field notes</title></head><body>
      <header id="title-block-header"><h1 class="title">Field notes</h1><p class="author">Ada Byron</p></header>
      <h2>Tuesday</h2><p>Counted forty starlings on the wire.</p></body></html>`);
    expect(notes.text).toContain('Ada Byron');
    expect(notes.text).toContain('Counted forty starlings');

    // A blog's front page lists several articles: all of them are the content.
    const front = await html(
      `<body><article><p>First post about bread.</p></article><article><p>Second post about soup.</p></article></body>`,
    );
    expect(front.text).toContain('bread');
    expect(front.text).toContain('soup');

    // The part after a separator stays when the page's heading does not hold the part before it.
    const release = await html(
      `<html><head><title>Release notes - 2.0</title></head><body><h1>Changes</h1><p>Faster sync.</p></body></html>`,
    );
    expect(release.title).toBe('Release notes - 2.0');
  });

  it('refuses a page nested past any real page at once, and reads long pages of unclosed paragraphs and scripts full of tags', async () => {
    // Parsed, this page held the parser for 20 s before it overflowed its stack.
    await expect(html(`<body>${'<div>'.repeat(50_000)}deep</body>`)).rejects.toMatchObject({
      reason: 'exceeds_limits',
      message: 'This page nests its elements more than 256 levels deep, past what Trove reads safely.',
    });

    const unclosed = await html(`<body><ul>${'<li><p>An item'.repeat(2_000)}</ul>
      <script>document.write('${'<div>'.repeat(1_000)}')</script><div><div/>${'<br><img src="a.png">'.repeat(500)}last</div></body>`);
    expect(unclosed.text).toContain('An item');
    expect(unclosed.text).toContain('last');
    expect(nestsDeeperThan(`${'<section>'.repeat(256)}`, 256)).toBe(false);
    // Tags that never close: a scan for each one's ">" to the end of the page took minutes.
    expect(nestsDeeperThan('<a '.repeat(400_000), 256)).toBe(false);
    expect(nestsDeeperThan(`${'<section>'.repeat(257)}`, 256)).toBe(true);
  });

  it('reads a page laid out in tables as blocks, with the data table inside it as a table', async () => {
    const parsed = await html(`<html><body><table><tr><td><a href="/">Home</a></td><td>
      <h1>Greenhouse log</h1><p>Readings | weekly</p>
      <table><tr><th>Bed</th><th>Humidity</th></tr><tr><td>North</td><td>62 %</td></tr></table>
      </td></tr></table></body></html>`);
    expect(parsed.text).toMatch(/^# Greenhouse log$/m);
    expect(parsed.text).toContain('Readings | weekly');
    expect(parsed.text).toContain('| Bed | Humidity |\n| --- | --- |\n| North | 62 % |');
    // Written as one table, each level escaped the pipes of the level inside, and wrote its cells again.
    const nested = await html(
      `<html><body>${'<table><tr><td>level '.repeat(100)}core${'</td></tr></table>'.repeat(100)}</body></html>`,
    );
    expect(nested.text).toContain('| level core |');
    expect(nested.text).not.toContain('\\');
  });

  it('reads a page whose prose opens tags no DOM can name, showing what a browser shows', async () => {
    // A mail header pasted raw opens an element named "joe@example.com"; it failed the whole page.
    const parsed = await html(`<html><body><h1>Minutes</h1><p>From: Joe Bloggs <joe@example.com></p>
      <p>Headings <h1,h2> stay <b|i>bold</b|i> and the greenhouse vents open at noon.</p></body></html>`);
    expect(parsed.title).toBe('Minutes');
    expect(parsed.text).toContain('From: Joe Bloggs');
    expect(parsed.text).toContain('Headings stay bold and the greenhouse vents open at noon.');
  });

  it('skips a page that only forwards the browser elsewhere, and keeps a page with text that also refreshes', async () => {
    const stub = `<!DOCTYPE html><html><head><title>Redirecting...</title>
      <meta content="0; URL=ch18-02-trait-objects.html" http-equiv="refresh"></head>
      <body><p>Redirecting to... <a href="ch18-02-trait-objects.html">ch18-02-trait-objects.html</a>.</p></body></html>`;
    await expect(parseContent({ kind: 'text', text: stub, mimeType: 'text/html' })).rejects.toMatchObject({
      reason: 'empty',
      message: expect.stringMatching(/only forwards the browser to another page/),
    });
    const dashboard = `<html><head><meta http-equiv="refresh" content="300"><title>Greenhouse</title></head>
      <body><p>${'Humidity in the north bed stayed between sixty and seventy percent all week. '.repeat(3)}</p></body></html>`;
    expect((await parseContent({ kind: 'text', text: dashboard, mimeType: 'text/html' })).title).toBe('Greenhouse');
  });
});

describe('text, code and data parsers', () => {
  it('reads Markdown as is, with its title, and normalises line endings', async () => {
    const parsed = await parseContent(bytes('\ufeff# Plan\r\n\r\nShip it.\r\n', 'plan.md'));
    expect(parsed).toEqual({ text: '# Plan\n\nShip it.\n', format: 'markdown', title: 'Plan', reader: 'markdown' });
  });

  it('records the language of source files by extension', async () => {
    const cases: Array<[string, string]> = [
      ['main.go', 'go'],
      ['lib.rs', 'rust'],
      ['app.tsx', 'typescript'],
      ['tool.py', 'python'],
      ['Query.sql', 'sql'],
      ['Build.kt', 'kotlin'],
      ['run.sh', 'shell'],
      ['Dockerfile', 'dockerfile'],
    ];
    for (const [name, language] of cases) {
      const parsed = await parseContent(bytes('x = 1\n', name));
      expect({ name, format: parsed.format, language: parsed.language }).toEqual({ name, format: 'code', language });
    }
  });

  it('turns CSV into Markdown tables that repeat the header for every row group', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `${i},"Name, ${i}","line one\nline two"`);
    const parsed = await parseContent(bytes(['id,name,notes', ...rows].join('\r\n'), 'people.csv'));
    expect(parsed.format).toBe('table');
    const groups = parsed.text.split('\n\n');
    expect(groups.length).toBeGreaterThan(3);
    for (const group of groups) {
      expect(group.startsWith('| id | name | notes |\n| --- | --- | --- |\n')).toBe(true);
      expect(group.length).toBeLessThanOrEqual(1400);
    }
    expect(parsed.text).toContain('| 7 | Name, 7 | line one line two |');
    const rowCount = groups.reduce((sum, group) => sum + group.split('\n').length - 2, 0);
    expect(rowCount).toBe(120);
  });

  it('reads a CSV by the delimiter it uses: semicolons from European Excel, commas kept inside quotes', async () => {
    // Excel with German, French or Dutch settings writes ";" because "," is its decimal point.
    const european = await parseContent(bytes('Sorte;Preis;Menge\r\nÄpfel;1,20;5\r\nBirnen;0,95;12\r\n', 'obst.csv'));
    expect(european.text).toBe(
      '| Sorte | Preis | Menge |\n| --- | --- | --- |\n| Äpfel | 1,20 | 5 |\n| Birnen | 0,95 | 12 |',
    );
    // Semicolons in quoted notes do not make a comma file a semicolon one; a title line above the header does not either.
    const notes = await parseContent(
      bytes(
        'Exported 2026-03-01\nbed,note\nnorth,"water; then weed; then mulch"\nsouth,"weed; mulch"\neast,rest\nwest,"dig; sow"\n',
        'beds.csv',
      ),
    );
    expect(notes.text).toContain('| north | water; then weed; then mulch |');
    // Every row but the header holds one decimal comma; every row holds two semicolons.
    const prices = ['Sorte;Preis;Menge', ...Array.from({ length: 24 }, (_, i) => `Sorte ${i};${i},20;${i}`)];
    expect((await parseContent(bytes(prices.join('\n'), 'preise.csv'))).text).toContain('| Sorte 7 | 7,20 | 7 |');
    // A TSV's prose cells hold more commas than the row holds tabs.
    const tsv = ['bed\tnote', ...Array.from({ length: 24 }, (_, i) => `bed ${i}\twater, weed, mulch, rest`)];
    expect((await parseContent(bytes(tsv.join('\n'), 'beds.tsv'))).text).toContain(
      '| bed 7 | water, weed, mulch, rest |',
    );
  });

  it('reads TSV by extension', async () => {
    const parsed = await parseContent(bytes('a\tb\n1\t2\n', 'x.tsv'));
    expect(parsed.text).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('pretty-prints JSON and keeps invalid JSON as text', async () => {
    const parsed = await parseContent(bytes('{"server":{"port":8080,"hosts":["a","b"]}}', 'config.json'));
    expect(parsed).toMatchObject({ format: 'code', language: 'json' });
    expect(parsed.text).toContain('"server": {\n    "port": 8080,');
    const lines = await parseContent(bytes('{"a":1}\n{"a":2}\n', 'events.json'));
    expect(lines.text).toBe('{"a":1}\n{"a":2}\n');
  });

  it('decodes legacy Windows-1252 and UTF-16 text files', async () => {
    const latin = await parseContent(bytes(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'menu.txt'));
    expect(latin.text).toBe('café\n');
    const utf16 = new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]);
    expect((await parseContent(bytes(utf16, 'hi.txt'))).text).toBe('hi');
  });

  it('treats unknown extensions with text content as plain text', async () => {
    const parsed = await parseContent(bytes('just some words\n', 'README'));
    expect(parsed.format).toBe('plain');
  });

  it('reads a file named after what every object has (constructor, __proto__) as the text it is', async () => {
    // Looked up in plain objects, these names had made a lock file "written by function Object()" and a type without a kind.
    for (const name of ['constructor', '__proto__', 'notes.constructor', 'notes.__proto__']) {
      expect(detectType(bytes('just some words\n', name))).toEqual({ kind: 'plain' });
      expect((await parseContent(bytes('just some words\n', name))).text).toBe('just some words\n');
    }
  });
});

describe('gzip-compressed files', () => {
  const gz = (data: Uint8Array | string): Uint8Array => new Uint8Array(gzipSync(data));

  it('reads the file inside as the file it is: text, Markdown by its name, a PDF by its bytes', async () => {
    const news = await parseContent(bytes(gz('Version 2.1\n\nThe greenhouse sensors report humidity.\n'), 'NEWS.gz'));
    expect(news.format).toBe('plain');
    expect(news.text).toContain('The greenhouse sensors report humidity.');
    const guide = await parseContent(bytes(gz('# Watering guide\n\nWater *early*.\n'), 'guide.md.GZ'));
    expect([guide.format, guide.title]).toEqual(['markdown', 'Watering guide']);
    const manual = await parseContent(bytes(gz(await makePdf(['Prune the vines in March.'])), 'manual.pdf.gz'));
    expect(manual.pages?.length).toBe(1);
    expect(manual.text).toContain('Prune the vines in March.');
    // Several members one after another are one file, as gunzip reads them; compressed bytes under another name too.
    const joined = new Uint8Array([...gz('First part. '), ...gz('Second part.')]);
    expect((await parseContent(bytes(joined, 'notes.txt'))).text).toBe('First part. Second part.');
  });

  it('reads a file cut short up to the cut, and says so (the file inside first, when it can)', async () => {
    const log = gz(Array.from({ length: 400 }, (_, i) => `line ${i}: pump ${i % 7} started`).join('\n'));
    const cut = await parseContent(bytes(log.subarray(0, Math.floor(log.length / 2)), 'pump.log.gz'));
    expect(cut.text).toContain('line 0: pump 0 started');
    expect(cut.text).not.toContain('line 399');
    expect(cut.damage).toBe(
      'This gzip-compressed file ends early, as an interrupted download or copy does: Trove indexed what it still holds.',
    );
    const pdf = await (
      await import('pdf-lib')
    ).PDFDocument.load(await makePdf(['Prune the vines.', 'Water the roots.']));
    const manual = gz(await pdf.save({ useObjectStreams: false }));
    const cutManual = await parseContent(bytes(manual.subarray(0, manual.length - 40), 'manual.pdf.gz'));
    expect(cutManual.text).toContain('Prune the vines.');
    expect(cutManual.damage).toMatch(/^This PDF ends early/);
  });

  it('fails a damaged, empty or doubly compressed file with its reason, and refuses archives unopened', async () => {
    const failure = async (data: Uint8Array, name: string): Promise<string> =>
      parseContent(bytes(data, name)).then(
        () => 'parsed',
        (error: Error & { reason?: string }) => `${error.reason}: ${error.message}`,
      );
    const whole = gz('The greenhouse key is under the mat.\n');
    // Cut before any text: nothing to read.
    expect(await failure(whole.subarray(0, 10), 'key.txt.gz')).toBe(
      'corrupt: This gzip-compressed file is damaged (unexpected end of file).',
    );
    expect(await failure(new TextEncoder().encode('not compressed at all'), 'key.txt.gz')).toBe(
      'corrupt: This gzip-compressed file is damaged (incorrect header check).',
    );
    expect(await failure(gz(''), 'empty.gz')).toMatch(/^empty: /);
    expect(await failure(gz(gz('twice')), 'twice.gz')).toBe(
      'unsupported_type: This file is compressed twice (gzip inside gzip); Trove reads files compressed once.',
    );
    expect(await failure(gz('ustar'), 'backup.tar.gz')).toBe(
      'unsupported_type: Trove cannot read .tar.gz archives yet.',
    );
    expect(await failure(gz('ustar'), 'backup.tgz')).toBe('unsupported_type: Trove cannot read .tar.gz archives yet.');
    expect(await failure(gz('ID3'), 'song.mp3.gz')).toBe('unsupported_type: Trove cannot read .mp3.gz files yet.');
    // A compressed SVG drawing is read as the drawing inside.
    const svgz = await parseContent(
      bytes(gz('<svg xmlns="http://www.w3.org/2000/svg"><text>Tram network</text></svg>'), 'map.svgz'),
    );
    expect([svgz.text, svgz.reader]).toEqual(['Tram network', 'svg']);
    // PostScript is drawing commands, however it is named or compressed: not indexed as text.
    expect(await failure(gz('%!PS-Adobe-3.0\n/Times findfont'), 'manual.ps.gz')).toBe(
      'unsupported_type: Trove cannot read .ps.gz files yet.',
    );
    expect(await failure(new TextEncoder().encode('%!PS-Adobe-3.0\n/Times findfont'), 'print.txt')).toBe(
      'unsupported_type: Trove cannot read PostScript files yet.',
    );
  });
});
