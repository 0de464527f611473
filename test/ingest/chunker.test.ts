import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZES,
  CHUNKER_VERSION,
  chunkDocument,
  contextualText,
  hashChunk,
  type ChunkDraft,
  type ParsedDocument,
} from '../../src/main/core/ingest';
import { markdownBlocks } from '../../src/main/core/ingest/chunking/blocks';
import { parseDelimited } from '../../src/main/core/ingest/parsers/delimited';
import { parseCode, parseMarkdown, parsePlain } from '../../src/main/core/ingest/parsers/text';
import { paragraph, syntheticMarkdown } from './helpers/synthetic';

const doc = (parts: string[]): ParsedDocument => parseMarkdown(parts.join('\n\n') + '\n');
const docSizes = CHUNK_SIZES.documentation;

/** The heading path of the first chunk holding `needle`. */
const headingPathOf = (chunks: readonly ChunkDraft[], needle: string): string[] | undefined =>
  chunks.find((c) => c.text.includes(needle))?.headingPath;

function expectHonestSpans(parsed: ParsedDocument, chunks: ChunkDraft[]): void {
  chunks.forEach((chunk, i) => {
    expect(chunk.index).toBe(i);
    expect(chunk.text).toBe(parsed.text.slice(chunk.charStart, chunk.charEnd));
    expect(chunk.contentHash).toBe(hashChunk(chunk.text, chunk.headingPath));
    expect(chunk.text.trim().length).toBeGreaterThan(0);
  });
}

describe('chunkDocument', () => {
  it('keeps every chunk an exact slice of the text, within the size limit, covering all content', () => {
    for (let seed = 0; seed < 40; seed++) {
      const parsed = parseMarkdown(syntheticMarkdown(seed, 3000 + seed * 300));
      const chunks = chunkDocument(parsed, { contentType: 'documentation' });
      expectHonestSpans(parsed, chunks);
      for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(docSizes.max);
      // Every non-blank character belongs to some chunk.
      const covered = new Uint8Array(parsed.text.length);
      for (const chunk of chunks) covered.fill(1, chunk.charStart, chunk.charEnd);
      const missed = [...parsed.text].findIndex((ch, i) => covered[i] === 0 && ch.trim() !== '');
      expect(missed).toBe(-1);
      expect(chunks[chunks.length - 1]?.boundaryType).toBe('document_end');
    }
  });

  it('holds its invariants on randomly assembled documents of every content type', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = [
      () => `${'#'.repeat(1 + random(3))} Heading ${random(100)}`,
      () => paragraph(`topic${random(5)}`, 1 + random(40), random(50)),
      () => Array.from({ length: 1 + random(30) }, (_, i) => `- item ${i} ${paragraph('list', 1, i)}`).join('\n'),
      () => ['```', ...Array.from({ length: 1 + random(120) }, (_, i) => `call(${i});`), '```'].join('\n'),
      () =>
        ['| a | b |', '| --- | --- |', ...Array.from({ length: 1 + random(80) }, (_, i) => `| ${i} | v${i} |`)].join(
          '\n',
        ),
      () => 'x'.repeat(1 + random(4000)),
    ];
    for (let round = 0; round < 60; round++) {
      const parsed = doc(
        Array.from({ length: 3 + random(25) }, () => (pieces[random(pieces.length)] as () => string)()),
      );
      for (const type of ['code', 'documentation', 'notes', 'transcript'] as const) {
        const limit = CHUNK_SIZES[type].max;
        const chunks = chunkDocument(parsed, { contentType: type });
        expectHonestSpans(parsed, chunks);
        chunks.forEach((chunk, i) => {
          const body = chunk.text.replace(/^(#{1,6} [^\n]*\n+)+/, '');
          expect(body.length).toBeLessThanOrEqual(limit);
          if (i > 0) {
            const previous = chunks[i - 1] as ChunkDraft;
            expect(chunk.charStart).toBeGreaterThan(previous.charStart);
            expect(chunk.charEnd).toBeGreaterThan(previous.charEnd);
          }
          if (chunk.semanticScore !== null) {
            expect(chunk.semanticScore).toBeGreaterThanOrEqual(0);
            expect(chunk.semanticScore).toBeLessThanOrEqual(1);
          }
        });
      }
    }
  });

  it('carries the heading path into every chunk under a heading', () => {
    const parsed = doc([
      '# Guide',
      'Welcome to the guide.',
      '## Install',
      '### Linux',
      paragraph('linux', 30),
      '### macOS',
      'Drag the app to Applications.',
      '## Usage',
      'Search with the search box.',
    ]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    const pathOf = (needle: string): string[][] =>
      chunks.filter((c) => c.text.includes(needle)).map((c) => c.headingPath);
    expect(pathOf('Welcome')).toEqual([['Guide']]);
    const linux = chunks.filter((c) => c.text.includes('linux module'));
    expect(linux.length).toBeGreaterThan(1);
    for (const chunk of linux) expect(chunk.headingPath).toEqual(['Guide', 'Install', 'Linux']);
    expect(pathOf('Drag the app')).toEqual([['Guide', 'Install', 'macOS']]);
    expect(pathOf('search box')).toEqual([['Guide', 'Usage']]);
    // A heading starts its chunk: the Linux text begins right under its headings.
    expect(linux[0]?.text.startsWith('## Install\n\n### Linux\n\n')).toBe(true);
    const beforeMac = chunks.find(
      (c) => c.text.includes('linux module') && c.index === chunks.findIndex((x) => x.text.includes('Drag')) - 1,
    );
    expect(beforeMac?.boundaryType).toBe('structure_boundary');
  });

  it('never files sections under the table of contents a page nests above them', () => {
    // As npm's documentation pages are built: "## Table of contents" above "### Synopsis"...
    const parsed = doc([
      '# npm-install',
      '## Table of contents',
      '-   Synopsis\n-   [Description](#description)\n    -   How `npm install` works\n-   See Also',
      '### Synopsis',
      'npm install [<package-spec> ...]',
      '### Description',
      'This command installs a package.',
      '#### How `npm install` works',
      'It reads the lock file.',
      '### See Also',
      'npm-ci',
    ]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    expect(headingPathOf(chunks, '-   Synopsis')).toEqual(['npm-install', 'Table of contents']);
    expect(headingPathOf(chunks, 'npm install [<package-spec>')).toEqual(['npm-install', 'Synopsis']);
    expect(headingPathOf(chunks, 'reads the lock')).toEqual(['npm-install', 'Description', 'How npm install works']);
    expect(headingPathOf(chunks, 'npm-ci')).toEqual(['npm-install', 'See Also']);
  });

  it('keeps a section that lists its own subsections, or other things, as their parent', () => {
    // "Install" lists steps, not the sections below: it stays their parent.
    const steps = doc([
      '# Guide',
      '## Install',
      '- Download the package\n- Unpack it\n- Run the installer',
      '### Linux',
      'Use the tarball.',
    ]);
    const stepChunks = chunkDocument(steps, { contentType: 'documentation' });
    expect(headingPathOf(stepChunks, 'tarball')).toEqual(['Guide', 'Install', 'Linux']);
    // "Commands" lists the subsections under it, and a section at its level follows: it is their parent.
    const commands = doc([
      '# tool',
      '## Commands',
      '- init\n- build\n- test',
      '### init',
      'Creates a project.',
      '### build',
      'Compiles it.',
      '### test',
      'Runs the tests.',
      '## License',
      'MIT.',
    ]);
    const commandChunks = chunkDocument(commands, { contentType: 'documentation' });
    expect(headingPathOf(commandChunks, 'Compiles')).toEqual(['tool', 'Commands', 'build']);
  });

  it('knows a contents list by its place when its heading has another name', () => {
    // Nothing at its level after it: the list covers the whole page, as contents do.
    const parsed = doc([
      '# Werkzeug',
      '## Übersicht',
      '- Aufruf\n- Beschreibung\n- Siehe auch',
      '### Aufruf',
      'werkzeug [datei]',
      '### Beschreibung',
      'Liest die Datei.',
      '### Siehe auch',
      'cat',
    ]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expect(headingPathOf(chunks, 'Liest')).toEqual(['Werkzeug', 'Beschreibung']);
  });

  it("keeps front matter, YAML or Hugo's TOML, as one block whose comments are no headings", () => {
    for (const [open, line, close] of [
      ['---', 'draft: true', '---'],
      ['+++', 'draft = true', '+++'],
    ]) {
      const text = `${open}\n# set by the theme\n${line}\n${close}\n\n# Pruning\n\nCut above a bud.`;
      const blocks = markdownBlocks(text);
      expect(blocks.map((b) => [b.type, text.slice(b.start, b.end)])).toEqual([
        ['paragraph', `${open}\n# set by the theme\n${line}\n${close}`],
        ['heading', '# Pruning'],
        ['paragraph', 'Cut above a bud.'],
      ]);
    }
  });

  it('names sections by their words: no badges, link targets or markup in heading paths; HTML headings count', () => {
    const parsed = doc([
      '# my-tool [![npm](https://img.shields.io/npm/v/my-tool.svg)](https://npmjs.com/package/my-tool)',
      'A tool.',
      '## The `parse_args()` [API](https://x.y/api) *reference*',
      'It parses arguments.',
      '<h2 align="center">\n  <img src="logo.png" alt="logo"> Release notes\n</h2>',
      'Version two.',
    ]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    expect(headingPathOf(chunks, 'A tool.')).toEqual(['my-tool']);
    expect(headingPathOf(chunks, 'It parses')).toEqual(['my-tool', 'The parse_args() API reference']);
    expect(headingPathOf(chunks, 'Version two')).toEqual(['my-tool', 'Release notes']);
  });

  it('never cuts through a code block or table that fits the limit', () => {
    const code = [
      '```python',
      ...Array.from({ length: 30 }, (_, i) => `total_${i} = measure(sensor_${i})`),
      '```',
    ].join('\n');
    const table = [
      '| sensor | reading |',
      '| --- | --- |',
      ...Array.from({ length: 25 }, (_, i) => `| s${i} | ${i * 3} |`),
    ].join('\n');
    const parsed = doc(['# Readings', paragraph('intro', 7), code, paragraph('middle', 6), table, paragraph('end', 5)]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    const wholeBlocks = markdownBlocks(parsed.text).filter((b) => b.type === 'code' || b.type === 'table');
    expect(wholeBlocks).toHaveLength(2);
    for (const block of wholeBlocks) {
      expect(block.end - block.start).toBeLessThanOrEqual(docSizes.max);
      expect(chunks.some((c) => c.charStart <= block.start && block.end <= c.charEnd)).toBe(true);
      for (const chunk of chunks) {
        expect(chunk.charEnd > block.start && chunk.charEnd < block.end).toBe(false);
      }
    }
    expect(chunks.some((c) => c.structureType === 'code' || c.structureType === 'mixed')).toBe(true);
  });

  it('splits an oversized code block at line boundaries, marked size_limit', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `    result_${i} = transform(input_${i}, factor=${i})`);
    const parsed = doc(['# Script', ['```python', ...lines, '```'].join('\n')]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.boundaryType).toBe('size_limit');
      expect(chunk.strategy).toBe('adaptive');
      expect(parsed.text[chunk.charEnd]).toBe('\n');
      expect(chunk.text.length).toBeLessThanOrEqual(docSizes.max);
    }
    for (const chunk of chunks) {
      expect(chunk.structureType).toBe('code');
      expect(chunk.semanticScore).toBeNull();
      expect(chunk.headingPath).toEqual(['Script']);
    }
    // Code pieces do not overlap.
    chunks.slice(1).forEach((chunk, i) => expect(chunk.charStart).toBeGreaterThanOrEqual(chunks[i]?.charEnd ?? 0));
  });

  it('marks the chunks that begin inside a fenced block opened in an earlier chunk with its fence', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `export STAGE_${i}=/srv/${i}   # stage ${i} of the build`);
    const parsed = doc([
      '# Deploy',
      ['````sh', ...lines, '````'].join('\n'),
      'Then restart the service.',
      '# Check',
      '- Read the log:\n\n    ```\n    journalctl -u app\n    ```',
    ]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    const fenced = chunks.filter((c) => c.text.includes('STAGE_'));
    expect(fenced.length).toBeGreaterThan(2);
    // The first piece holds the opening fence; every later one, and the one with the closing fence and the prose, begins inside.
    expect(fenced[0]!.openFence).toBeUndefined();
    for (const chunk of fenced.slice(1)) expect(chunk.openFence).toBe('````');
    expect(chunks.find((c) => c.text.includes('Then restart'))!.openFence).toBe('````');
    // A chunk that opens and closes its own block, and one after every block, begin outside.
    expect(chunks.find((c) => c.text.includes('journalctl'))!.openFence).toBeUndefined();
    // A title underlined with tildes opens no block: the chunks of its section are prose.
    const body = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} lists the fixes of the release in detail.`);
    const notes = chunkDocument(parsePlain(`Release 3.4.1\n~~~~~~~~~~~~~\n\n${body.join('\n\n')}\n`));
    expect(notes.length).toBeGreaterThan(2);
    expect(notes.every((c) => c.openFence === undefined)).toBe(true);
    // A source file is code throughout: nothing to mark.
    const code = chunkDocument(parseCode(['README = """', '```sh', ...lines, '```', '"""'].join('\n'), 'python'));
    expect(code.length).toBeGreaterThan(2);
    expect(code.every((c) => c.openFence === undefined)).toBe(true);
  });

  it("marks the chunks that begin inside an AsciiDoc listing block with its delimiter, in AsciiDoc's text only", () => {
    const commands = Array.from({ length: 120 }, (_, i) => `$ git config stage.${i}.path /srv/stage-${i}`);
    const manual = (sign: string): string =>
      [
        'Staging',
        '-------',
        '',
        `Each stage has its path${sign}:`,
        '',
        '----',
        ...commands,
        '----',
        '',
        'Then push the configuration.',
      ].join('\n');
    const chunks = chunkDocument(parsePlain(manual(', as linkgit:git-config[1] explains')));
    const listed = chunks.filter((c) => c.text.includes('stage-'));
    expect(listed.length).toBeGreaterThan(2);
    expect(listed[0]!.openFence).toBeUndefined();
    for (const chunk of listed.slice(1)) expect(chunk.openFence).toBe('----');
    // A block attached to a list item by "+" closes where it should: the prose after it is not marked.
    const option = [
      '-A <file>::',
      '\tMaps CVS user names to authors:',
      '+',
      '---------',
      ...commands,
      '',
      '---------',
      '+',
      ...Array.from({ length: 30 }, (_, i) => `Prose line ${i} of the option's description, explaining it at length.`),
      '',
      '-R::',
      '\tWrites the revisions:',
      '+',
      '---------',
      'src/widget.c 1.1 1d862f',
      '---------',
    ].join('\n');
    const optionChunks = chunkDocument(parsePlain(option));
    const prose = optionChunks.filter((c) => /^Prose line/.test(c.text));
    expect(prose.length).toBeGreaterThan(0);
    for (const chunk of prose) expect(chunk.openFence).toBeUndefined();
    // Plain text with no sign of AsciiDoc: rules may hold prose, so nothing is marked.
    const plain = chunkDocument(parsePlain(manual('')));
    expect(plain.filter((c) => c.text.includes('stage-')).length).toBeGreaterThan(2);
    expect(plain.every((c) => c.openFence === undefined)).toBe(true);
  });

  it('overlaps consecutive prose chunks of one section, at a sentence start, but not across headings', () => {
    const parsed = doc([
      '# Long',
      paragraph('river', 15, 1),
      paragraph('river', 15, 2),
      paragraph('river', 15, 3),
      '# Next',
      paragraph('mountain', 4),
    ]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    const river = chunks.filter((c) => c.headingPath[0] === 'Long');
    expect(river.length).toBeGreaterThanOrEqual(3);
    river.slice(1).forEach((chunk, i) => {
      const previous = river[i] as ChunkDraft;
      const shared = previous.charEnd - chunk.charStart;
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThanOrEqual(docSizes.overlap);
      expect(chunk.text).toMatch(/^The river module/);
    });
    const next = chunks.find((c) => c.headingPath[0] === 'Next');
    expect(next?.charStart).toBe(parsed.text.indexOf('# Next'));
    expect(river[river.length - 1]?.boundaryType).toBe('structure_boundary');
  });

  it('cuts between paragraphs where the topic changes', () => {
    const volcano = (n: number): string =>
      `Volcano eruption ${n}: magma rises through the crust, lava flows downhill and ash clouds drift. ` +
      `Geologists measure the magma chamber pressure and the lava temperature near the crater rim. ` +
      `Every eruption leaves fresh lava fields and magma vents around the volcano.`;
    const violin = (n: number): string =>
      `Violin recital ${n}: the orchestra tunes, the conductor raises the baton and the concert hall falls silent. ` +
      `Violinists rehearse the concerto phrasing while the orchestra balances strings against brass. ` +
      `Each concert ends with the violin soloist bowing to the orchestra and the hall.`;
    const parsed = doc(['# Notes', volcano(1), volcano(2), violin(1), violin(2), violin(3)]);
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expectHonestSpans(parsed, chunks);
    const first = chunks[0] as ChunkDraft;
    expect(first.boundaryType).toBe('semantic_break');
    expect(first.strategy).toBe('semantic');
    expect(first.text).toContain('Volcano eruption 2');
    expect(first.text).not.toContain('Violin');
    expect(first.semanticScore).toBeGreaterThan(0);
    expect(first.semanticScore).toBeLessThanOrEqual(1);
  });

  it('keeps the hashes of unchanged passages when another paragraph is edited', () => {
    const sections = (edited: string): string[] => [
      '# Handbook',
      '## Leave',
      paragraph('leave', 12, 4),
      '## Expenses',
      edited,
      paragraph('receipts', 14, 5),
      '## Travel',
      paragraph('travel', 40, 6),
    ];
    const before = chunkDocument(doc(sections(paragraph('expenses', 6, 1))), { contentType: 'documentation' });
    const after = chunkDocument(doc(sections(paragraph('expenses', 9, 2) + ' Now approved by finance.')), {
      contentType: 'documentation',
    });
    const hashes = (chunks: ChunkDraft[], section: string): string[] =>
      chunks.filter((c) => c.headingPath[1] === section).map((c) => c.contentHash);
    expect(hashes(after, 'Leave')).toEqual(hashes(before, 'Leave'));
    expect(hashes(after, 'Travel')).toEqual(hashes(before, 'Travel'));
    expect(hashes(after, 'Travel').length).toBeGreaterThan(1);
    expect(hashes(after, 'Expenses')).not.toEqual(hashes(before, 'Expenses'));
    // Offsets moved, hashes did not: the hash depends on text and headings only.
    const travelBefore = before.find((c) => c.headingPath[1] === 'Travel');
    const travelAfter = after.find((c) => c.headingPath[1] === 'Travel');
    expect(travelAfter?.charStart).not.toBe(travelBefore?.charStart);
  });

  it('gives the same text under different headings different hashes', () => {
    const chunks = chunkDocument(doc(['# A', 'Same words.', '# B', 'Same words.']), { contentType: 'notes' });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]?.contentHash).not.toBe(chunks[1]?.contentHash);
    expect(hashChunk('Same words.', ['A'])).toBe(hashChunk('Same words.', ['A']));
  });

  it('uses larger chunks for code than for notes', () => {
    const text = Array.from({ length: 60 }, (_, i) => paragraph(`topic${i % 7}`, 3, i)).join('\n\n');
    const asCode = chunkDocument(parsePlain(text), { contentType: 'code' });
    const asNotes = chunkDocument(parsePlain(text), { contentType: 'notes' });
    expect(asCode.length).toBeLessThan(asNotes.length);
    for (const chunk of asNotes) expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_SIZES.notes.max);
  });

  it('chunks source files at top-level declarations', () => {
    const fn = (name: string, lines: number): string =>
      [
        `export function ${name}(input: number): number {`,
        ...Array.from({ length: lines }, (_, i) => `  const step${i} = input * ${i};\n`),
        '  return input;',
        '}',
      ].join('\n');
    const source = [fn('alpha', 20), fn('beta', 25), fn('gamma', 30)].join('\n\n');
    const parsed = parseCode(source, 'typescript');
    const chunks = chunkDocument(parsed);
    expectHonestSpans(parsed, chunks);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text).toMatch(/^export function/);
      expect(chunk.text.trimEnd().endsWith('}')).toBe(true);
      expect(chunk.structureType).toBe('code');
    }
  });

  it('keeps the CSV header with every chunk of a table', () => {
    const rows = ['id,city,population', ...Array.from({ length: 300 }, (_, i) => `${i},City number ${i},${i * 1000}`)];
    const parsed = parseDelimited(rows.join('\n'), ',');
    const chunks = chunkDocument(parsed);
    expectHonestSpans(parsed, chunks);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.startsWith('| id | city | population |\n| --- | --- | --- |')).toBe(true);
      expect(chunk.structureType).toBe('table');
    }
  });

  it('splits a paragraph without blank lines at sentence boundaries', () => {
    const parsed = parsePlain(paragraph('log', 80));
    const chunks = chunkDocument(parsed, { contentType: 'other' });
    expectHonestSpans(parsed, chunks);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.boundaryType).toBe('size_limit');
      expect(chunk.text.endsWith('.')).toBe(true);
    }
  });

  it('keeps transcript turns whole, cutting only between lines', () => {
    const speakers = ['Alice', 'Bob', 'Carol'];
    const turns = Array.from(
      { length: 60 },
      (_, i) =>
        `[00:${String(i).padStart(2, '0')}:00] ${speakers[i % 3]}: ${paragraph(`topic${Math.floor(i / 10)}`, 2, i)}`,
    );
    const parsed = parsePlain(turns.join('\n'));
    const chunks = chunkDocument(parsed, { contentType: 'transcript' });
    expectHonestSpans(parsed, chunks);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.charEnd === parsed.text.length || parsed.text[chunk.charEnd] === '\n').toBe(true);
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_SIZES.transcript.max);
    }
  });

  it('returns no chunks for a document with no text, and a heading-only chunk for only headings', () => {
    expect(chunkDocument(parseMarkdown(''))).toEqual([]);
    const headingsOnly = chunkDocument(parseMarkdown('# One\n\n## Two\n'));
    expect(headingsOnly).toHaveLength(1);
    expect(headingsOnly[0]).toMatchObject({
      structureType: 'heading',
      headingPath: ['One', 'Two'],
      boundaryType: 'document_end',
    });
  });

  it('cuts a long run of headings with no text between them like text, within the size limit', () => {
    const runs = [
      parseMarkdown(Array.from({ length: 2000 }, (_, i) => `# Entry number ${i}`).join('\n\n') + '\n'),
      // A list set in capitals: plain text reads each line as a heading.
      parsePlain(Array.from({ length: 2000 }, (_, i) => `ENTRY NUMBER ${i}`).join('\n\n') + '\n'),
    ];
    for (const parsed of runs) {
      const chunks = chunkDocument(parsed, { contentType: 'documentation' });
      expectHonestSpans(parsed, chunks);
      expect(chunks.length).toBeGreaterThan(10);
      for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(docSizes.max);
      // Every entry is in some chunk, the last one included.
      expect(chunks[chunks.length - 1]!.text).toMatch(/1999$/);
      expect(chunks.reduce((n, c) => n + (c.text.match(/\d+/g)?.length ?? 0), 0)).toBe(2000);
    }
  });

  it('exposes a version and builds contextual text for embedding', () => {
    expect(CHUNKER_VERSION).toBe(12);
    const [chunk] = chunkDocument(doc(['# Trove Guide', '## Install', 'Run the installer.']), { contentType: 'notes' });
    expect(chunk?.text).toBe('# Trove Guide\n\n## Install\n\nRun the installer.');
    const base = chunk as ChunkDraft;
    expect(contextualText('Trove Guide', { ...base, text: 'Run the installer.' })).toBe(
      'Trove Guide\nInstall\n\nRun the installer.',
    );
    expect(contextualText('Setup notes', { ...base, text: 'Run.' })).toBe('Setup notes\nTrove Guide > Install\n\nRun.');
    expect(contextualText('', { ...base, headingPath: [], text: 'Run.' })).toBe('Run.');
  });
});
