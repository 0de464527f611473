import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { describe, expect, it } from 'vitest';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { usableTitle } from '../../src/main/core/ingest/document-title';
import { parseContent } from '../../src/main/core/ingest';
import { sizedPdf, type SizedLine } from './helpers/sized-pdf';

const file = (data: Uint8Array | string, fileName: string): DocumentContent => ({
  kind: 'bytes',
  bytes: typeof data === 'string' ? new TextEncoder().encode(data) : data,
  mimeType: 'application/octet-stream',
  fileName,
});
const titleOf = async (data: Uint8Array | string, fileName: string) => (await parseContent(file(data, fileName))).title;

/** A PDF whose first page has `lines` at the given font sizes, and an optional Title property. */
const pdfWith = (lines: SizedLine[], title?: string): Promise<Uint8Array> => sizedPdf([lines], title);

async function docxWith(headings: Array<[string, 1 | 2]>, title?: string): Promise<Uint8Array> {
  const children = headings.flatMap(([text, level]) => [
    new Paragraph({ text, heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 }),
    new Paragraph('Body text of the section, long enough to be a paragraph.'),
  ]);
  const doc = new Document({ ...(title !== undefined ? { title } : {}), sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

const BODY: SizedLine[] = [
  ['The committee met on Tuesday to review the budget.', 11],
  ['Spending on the garden rose by a tenth.', 11],
  ['Next meeting in May.', 11],
];

describe('titles from inside documents', () => {
  it('Markdown: front matter title first, else the first H1 without its markup, else none', async () => {
    expect(await titleOf('---\ntitle: "Sourdough, step by step"\n---\n# Other\n\nText.', 'bread.md')).toBe(
      'Sourdough, step by step',
    );
    expect(await titleOf('Intro line.\n\n# The **atool** [manual](https://x.y)\n\nText.', 'atool.md')).toBe(
      'The atool manual',
    );
    expect(await titleOf('```sh\n# not a heading\n```\n\nJust text.', 'notes.md')).toBeUndefined();
    expect(await titleOf('# atool\n\nText.', 'atool.md')).toBe('atool');
    // Hugo's TOML front matter; and a heading inside front matter is not one.
    expect(await titleOf('+++\ntitle = "Pruning roses"\ndate = 2024-03-01\n+++\n\nCut above a bud.', 'roses.md')).toBe(
      'Pruning roses',
    );
    expect(await titleOf('+++\ndate = 2024-03-01\n+++\n\n# Pruning roses\n\nText.', 'roses.md')).toBe('Pruning roses');
    expect(await titleOf('---\nsummary: x\n---\nJust text, no heading.', 'notes.md')).toBeUndefined();
    // MyST (Sphinx's Markdown): a target above the title is no text, a role reads as its words.
    expect(await titleOf('(style)=\n# The {pep}`8` style\n\nText.', 'style.md')).toBe('The PEP 8 style');
    // A file's name the author wrote as the title is meant: npm's page on package.json is titled so.
    expect(await titleOf('---\ntitle: package.json\nsection: 5\n---\n\n### Description\n', 'package-json.md')).toBe(
      'package.json',
    );
    expect(await titleOf('# tsconfig.json\n\nCompiler options.', 'reference.md')).toBe('tsconfig.json');
  });

  it('a file name in a property a tool filled in is no title, in the same words an author may write', async () => {
    const report = await pdfWith(BODY, 'report-final.docx');
    expect(await titleOf(report, 'report.pdf')).toBeUndefined();
    expect(await titleOf(await docxWith([['Budget 2025', 1]], 'budget.docx'), 'budget.docx')).toBe('Budget 2025');
  });

  it('Markdown: an H1 written as an underlined line or as HTML, without its badges', async () => {
    expect(
      await titleOf('argparse\n========\n\n[![Build](https://ci.x/b.svg)](https://ci.x)\n\nText.', 'README.md'),
    ).toBe('argparse');
    expect(
      await titleOf('<h1 align="center">\n  <img src="logo.svg" width="80"> Picomatch\n</h1>\n\nText.', 'README.md'),
    ).toBe('Picomatch');
    expect(
      await titleOf('# @vitejs/plugin-react [![npm](https://img.x/v.svg)](https://npmjs.com/x)\n\nText.', 'README.md'),
    ).toBe('@vitejs/plugin-react');
    // Badges written with references, as many READMEs do.
    expect(
      await titleOf(
        '# BigInteger.js [![Build Status][travis-img]][travis-url] [![Coverage][cov-img]](https://cov.x)\n\nText.\n\n' +
          '[travis-url]: https://ci.x\n[travis-img]: https://ci.x/b.svg\n[cov-img]: https://cov.x/b.svg\n',
        'README.md',
      ),
    ).toBe('BigInteger.js');
    // A logo-only heading reads as its alt text; a badge-only one is passed over.
    expect(await titleOf('# ![Chalk](media/logo.svg)\n\nText.', 'README.md')).toBe('Chalk');
    expect(await titleOf('# [![ci](https://ci.x/b.svg)](https://ci.x)\n\n# Real name\n\nText.', 'README.md')).toBe(
      'Real name',
    );
  });

  it('Markdown: a lower heading is the title only when it opens the document', async () => {
    expect(await titleOf('[![ci](https://ci.x/b.svg)](https://ci.x)\n\n### esutils\n\nUtilities.', 'README.md')).toBe(
      'esutils',
    );
    expect(await titleOf('aws4\n----\n\nSigns requests.', 'README.md')).toBe('aws4');
    expect(await titleOf('Some notes first.\n\n## Later section\n\nText.', 'notes.md')).toBeUndefined();
    // Front matter and a rule under a paragraph are not headings.
    expect(await titleOf('---\nauthor: Ann\n---\n\nPlain words.\n', 'notes.md')).toBeUndefined();
  });

  it("Markdown: a changelog's newest release is not its title", async () => {
    const releases = '## [2.1.0] - 2024-05-02\n\n- Fixes.\n\n## [2.0.0] - 2024-01-15\n\n- Breaks.\n';
    expect(await titleOf(releases, 'CHANGELOG.md')).toBeUndefined();
    expect(await titleOf('# v3.2\n\nFaster.\n\n# v3.1\n\nSmaller.\n', 'NEWS.md')).toBeUndefined();
    expect(await titleOf(`# Changelog\n\n${releases}`, 'CHANGELOG.md')).toBe('Changelog');
    // A numbered title over sections of another shape is a title.
    expect(await titleOf('# Python 3.12 notes\n\n# Install\n\nText.\n', 'notes.md')).toBe('Python 3.12 notes');
  });

  it('HTML: <title>, else the first h1 when the title is a placeholder', async () => {
    expect(
      await titleOf('<html><head><title>Tax return &amp; receipts</title></head><body>x</body></html>', 'a.html'),
    ).toBe('Tax return & receipts');
    expect(
      await titleOf(
        '<html><head><title>Untitled</title></head><body><h1>Bike repair log</h1><p>x</p></body></html>',
        'b.html',
      ),
    ).toBe('Bike repair log');
  });

  it('PDF: the Title property when it is a real title', async () => {
    expect(await titleOf(await pdfWith(BODY, 'Annual garden budget 2025'), 'scan0001.pdf')).toBe(
      'Annual garden budget 2025',
    );
  });

  it('PDF: junk Title properties give way to the largest heading of the first page', async () => {
    const lines: SizedLine[] = [['Minutes of the', 22], ['Garden Committee', 22], ...BODY];
    for (const junk of [
      'untitled',
      'Microsoft Word - minutes_final.doc',
      'minutes_final.pdf',
      '17',
      '2024-03-01',
      '',
    ]) {
      expect(await titleOf(await pdfWith(lines, junk), 'minutes.pdf'), junk).toBe('Minutes of the Garden Committee');
    }
  });

  it("PDF: a cover page's largest line, measured against the body text of the pages after it", async () => {
    // Title, subtitle and author only: against the page's own sizes, nothing stood out.
    const cover: SizedLine[] = [
      ['Pond keeping, version 2.1', 24],
      ['A handbook for small garden ponds', 20],
      ['Ann Example, ponds.example.org', 16],
    ];
    const pages = [cover, BODY, BODY];
    expect(await titleOf(await sizedPdf(pages), 'manual.pdf')).toBe('Pond keeping, version 2.1');
    // A cover that is only its title.
    expect(await titleOf(await sizedPdf([[['Pond keeping', 24]], BODY]), 'manual.pdf')).toBe('Pond keeping');
    // A cover set barely larger than the body says nothing.
    const plain: SizedLine[] = cover.map(([text]) => [text, 12]);
    expect(await titleOf(await sizedPdf([plain, BODY, BODY]), 'manual.pdf')).toBeUndefined();
  });

  it('PDF: no title when the property is junk and nothing stands out on the first page', async () => {
    expect(await titleOf(await pdfWith(BODY, 'Document1'), 'minutes.pdf')).toBeUndefined();
    expect(await titleOf(await pdfWith([['51', 30], ...BODY]), 'minutes.pdf')).toBeUndefined();
  });

  it('DOCX: the core title property, else the first heading (of any level)', async () => {
    expect(await titleOf(await docxWith([['Overview', 1]], 'Field guide to sensors'), 'guide.docx')).toBe(
      'Field guide to sensors',
    );
    expect(await titleOf(await docxWith([['Overview', 1]], 'Microsoft Word - guide.docx'), 'guide.docx')).toBe(
      'Overview',
    );
    expect(await titleOf(await docxWith([['Greenhouse wiring', 2]]), 'guide.docx')).toBe('Greenhouse wiring');
  });

  it('judges titles as a person would', () => {
    expect(usableTitle('  Quarterly   report\n')).toBe('Quarterly report');
    expect(usableTitle('Getting started with Node.js')).toBe('Getting started with Node.js');
    expect(usableTitle('Microsoft PowerPoint - Roadmap')).toBe('Roadmap');
    for (const junk of ['Untitled document', 'Presentation1', 'C:\\Users\\ann\\x.doc', '/tmp/a', 'x', '1x', 'A-3']) {
      expect(usableTitle(junk), junk).toBeUndefined();
    }
    expect(usableTitle('a'.repeat(300))).toBeUndefined();
  });
});

describe('titles of plain text', () => {
  const MAN = [
    'GRIND(1)                      User Commands                      GRIND(1)',
    '',
    'NAME',
    '       grind  -  turn coffee beans into',
    '       grounds',
    '',
    'DESCRIPTION',
    '       Grinds beans.',
    '',
    'grind 1.0                      March 2026                        GRIND(1)',
  ].join('\n');

  it('a rendered manual page: the summary of its NAME section, whitespace collapsed', async () => {
    expect(await titleOf(MAN, 'grind.txt')).toBe('grind - turn coffee beans into grounds');
    // A page for several programs lists each on its own line.
    const several = MAN.replace(
      'grind  -  turn coffee beans into\n       grounds',
      'grind - grind beans\n       ungrind - undo it',
    );
    expect(await titleOf(several, 'grind.txt')).toBe('grind - grind beans; ungrind - undo it');
    // Without a NAME section the header line is no title either.
    expect(await titleOf(MAN.replace('NAME', 'SUMMARY'), 'grind.txt')).toBeUndefined();
  });

  it('an underlined or over- and underlined title at the top', async () => {
    expect(await titleOf('Garden guide\n============\n\nDig in spring.', 'g.txt')).toBe('Garden guide');
    expect(await titleOf('\n=============\n Garden guide\n=============\n\nDig.', 'g.txt')).toBe('Garden guide');
    // Sphinx sources: the roles read as their text, the spaced triple hyphen as a dash.
    const sphinx =
      ':mod:`csv` --- CSV File Reading and Writing\n============================================\n\n.. module:: csv';
    expect(await titleOf(sphinx, 'csv.rst.txt')).toBe('csv — CSV File Reading and Writing');
    // Link targets, directives and comments above the title are markup, not the title.
    const targets = '.. highlight:: c\n\n.. _init-config:\n\n*********\nInit Conf\n*********\n\nText.';
    expect(await titleOf(targets, 'init_config.rst.txt')).toBe('Init Conf');
    const comment =
      '.. _sorting:\n.. a comment that goes on\n   over two lines\n\nSorting HOW TO\n**************\n\n:Author: A';
    expect(await titleOf(comment, 'sorting.rst.txt')).toBe('Sorting HOW TO');
    // So is Sphinx's file-wide metadata, a field list (pip's man/index.rst had been titled "index.rst").
    const orphan = ':orphan:\n\n========\nMan Page\n========\n\nSYNOPSIS\n********\n\npip <command>\n';
    expect(await titleOf(orphan, 'index.rst')).toBe('Man Page');
    expect(await titleOf(':tocdepth: 2\n:nosearch:\n\nLogging HOWTO\n=============\n\nText.', 'l.rst')).toBe(
      'Logging HOWTO',
    );
    expect(await titleOf('.. highlight:: c\n\nNo title here, only a sentence.\n', 'a.rst.txt')).toBeUndefined();
    // A changelog's newest release, headed as the older ones are, is not the file's title (Git's changelog:
    // "Version v2.39.5; changes since v2.39.4:" and 824 more releases).
    const release = (v: number): string =>
      `Version v2.${v}; changes since v2.${v - 1}:\n${'-'.repeat(30)}\n\nFixes.\n\n`;
    expect(await titleOf(release(39) + release(38) + release(37), 'changelog')).toBeUndefined();
    const dated = (v: string, d: string): string => `Release ${v} (${d})\n${'='.repeat(25)}\n\n* Fixes.\n\n`;
    expect(await titleOf(dated('3.19.0', '11 Apr 2022') + dated('3.18.1', '15 Oct 2021'), 'NEWS')).toBeUndefined();
    // A title over its releases, sections in the title's own style, or a lone release: titles.
    expect(await titleOf(`Release notes\n=============\n\n${release(39)}${release(38)}`, 'NEWS')).toBe('Release notes');
    expect(await titleOf('Python History\n==============\n\nText.\n\nOlder\n=====\n', 'HISTORY')).toBe(
      'Python History',
    );
    expect(await titleOf(`${dated('3.19.0', '11 Apr 2022')}Known bugs\n${'='.repeat(10)}\n`, 'NEWS')).toBe(
      'Release 3.19.0 (11 Apr 2022)',
    );
    // An underline further down is a section, not the document's title.
    expect(
      await titleOf('dig in spring, water in summer\nand rest in winter\n\nSoil\n====\n', 'g.txt'),
    ).toBeUndefined();
  });

  it("a note's first line, when a blank line follows and it reads like a title", async () => {
    expect(await titleOf('Trip to the coast\n\nPack the tent.', 'note.txt')).toBe('Trip to the coast');
    expect(await titleOf('experimental study of wing flutter .\n\nThe wing was...', 'c1.txt')).toBe(
      'experimental study of wing flutter',
    );
    expect(await titleOf('# Shopping list\n\nmilk', 'list.txt')).toBe('Shopping list');
    expect(await titleOf('= Git User Manual\n\n[preface]\n== Introduction\n', 'user-manual.txt')).toBe(
      'Git User Manual',
    );
    // A message saved as text: its headers are skipped for the title under them, else its subject is the title.
    const message =
      'Date: Fri, 19 Dec 2008\nFrom: Linus <l@x.org>\nSubject: Re: Odd merge behaviour\nAbstract: Sometimes\n a branch\n\n';
    expect(
      await titleOf(`${message}How to revert a faulty merge\n============================\n\nText.`, 'm.txt'),
    ).toBe('How to revert a faulty merge');
    expect(await titleOf(`${message}Alan said: it broke, so we reverted it.\n`, 'm.txt')).toBe('Odd merge behaviour');
  });

  it('no title from a first line that is a sentence, a label, a stamp, a log line, a path, a notice or a changelog entry', async () => {
    for (const text of [
      'Trip to the coast\nPack the tent.', // no blank line after it
      'Groceries\n\nmilk', // one word
      'Things to pack:\n\ntent',
      'We left early, and the roads were empty.\n\nMore.',
      '2024-03-01 12:00:01 INFO server started\n\nmore log',
      '[12:00:01] worker ready on port 80\n\nmore log',
      'ERROR: disk quota exceeded for user\n\nmore log',
      'Monday, 3 March 2025\n\nDear diary',
      '12 Dec 2024 10:15 pm\n\nnotes',
      'src/main/core/index.ts\n\ncode review notes',
      '/home/ann/notes/todo list\n\ntext',
      'https://example.org/some page\n\ntext',
      'Copyright (c) 2010 Example Corp\n\nLicense text.',
      'openssh (1:9.2p1-1) unstable; urgency=medium\n\n  * New upstream release.',
      'Format: https://example.org/copyright-format/1.0/\n\nFiles: *',
      '<!DOCTYPE html>\n\n<html>',
      'WEBVTT\n\n00:00.000 --> 00:01.000\nHello there',
      `${'word '.repeat(30)}\n\ntext`,
    ]) {
      expect(await titleOf(text, 'file.txt'), text).toBeUndefined();
    }
  });
});
