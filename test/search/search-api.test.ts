import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder } from '../../src/main/cli/connectors.command';
import { createDispatcher, type Dispatcher } from '../../src/main/core/api/dispatch';
import { openTargetOf } from '../../src/main/core/api/preview.api';
import { createTroveApi, type TroveApiHandle } from '../../src/main/core/api/trove-api';
import { silentLogger } from '../../src/main/core/logger';
import type { CommandOutput } from '../../src/shared/contract';
import { makePptx } from '../fixtures/formats';
import { startTestCore, type TestCore } from '../helpers/test-core';

/**
 * The search commands as the UI calls them: through the dispatcher (which
 * checks inputs and, in tests, outputs against the contract) over a real
 * core that indexed a real folder.
 */
describe('search commands over the contract', () => {
  let test: TestCore;
  let handle: TroveApiHandle;
  let dispatcher: Dispatcher;
  let folder: string;

  beforeAll(async () => {
    test = await startTestCore({ model: false });
    folder = mkdtempSync(join(tmpdir(), 'trove-search-api-'));
    writeFileSync(
      join(folder, 'plan.md'),
      '# Plan\n\nThe **kwgardenzq** plan: see [the map](https://x.y) and `kwtoolzq --fast`.\n',
    );
    writeFileSync(join(folder, 'draft.md'), '# Draft\n\nA kwgardenzq draft about kwtoolzq.\n');
    const filler = Array.from({ length: 40 }, (_, i) => `Sentence ${i} of the introduction, about soil and rain.`);
    writeFileSync(
      join(folder, 'beds.md'),
      `# Raised beds\n\n${filler.join(' ')}\n\n## Kwsectionzq\n\nThe kwsectionzq bed holds herbs.\n`,
    );
    writeFileSync(
      join(folder, 'deck.pptx'),
      await makePptx(
        [
          { title: 'Welcome', body: 'Agenda for the morning.' },
          { title: 'Forecast', body: 'The kwslidezq forecast for spring.' },
        ],
        'Quarterly review',
      ),
    );
    mkdirSync(join(folder, 'tools'));
    writeFileSync(
      join(folder, 'tools', 'banner.py'),
      '# Render the kwcodezq banner\ndef banner(name):\n    return f"**{name}** is `ready` at [home](/)"\n',
    );
    const steps = Array.from({ length: 50 }, (_, i) => `    const step${i} = entry.amount * ${i} + this.offset;`);
    steps[40] = '    const kwdeepzq = entry.amount; // the line a search finds';
    writeFileSync(
      join(folder, 'tools', 'ledger.ts'),
      [
        '/** Books of the KwledgerzqBook kind. */',
        'export class KwledgerzqBook {',
        '  settle(entry: Entry): number {',
        ...steps,
        '    return this.offset;',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(join(folder, 'tools', 'kwonlynamezq.py'), 'import sys\n\n\ndef main():\n    print(sys.argv)\n');
    // A fenced block too long for one chunk, then prose: the chunk holding its end starts inside it.
    const setup = Array.from(
      { length: 80 },
      (_, i) => `export STAGE_${i}_DIR=/srv/stage/${i}   # stage ${i} of the build`,
    );
    writeFileSync(
      join(folder, 'deploy.md'),
      `# Deploy\n\nSet the stages up:\n\n\`\`\`sh\n${setup.join('\n')}\n\`\`\`\n\nThen **kwrestartzq** the service and watch its log.\n`,
    );
    // Plain text whose file name says its markup: an AsciiDoc listing block, a reStructuredText literal block.
    writeFileSync(
      join(folder, 'guide.adoc'),
      '= Guide\n\nInstall it:\n\n----\n$ make kwadoczq\n----\n\nThen kwadoczq runs.\n',
    );
    writeFileSync(
      join(folder, 'setup.rst'),
      'Setup\n=====\n\nRun it::\n\n    kwrstzq --init\n\nThen kwrstzq serves.\n',
    );
    // One long section of prose: its chunks overlap, each repeating the end of the one before.
    const essay = Array.from(
      { length: 90 },
      (_, i) => `Remark ${i} is about ${i === 45 ? 'kwessayzq' : 'compost'} and how the beds drain after rain.`,
    );
    writeFileSync(join(folder, 'essay.md'), `# Essay\n\n${essay.join(' ')}\n`);
    // Unrelated pages, so that the garden words are rare in the library.
    for (const topic of ['bicycles', 'bread', 'taxes', 'pianos', 'printers', 'holidays']) {
      writeFileSync(join(folder, `${topic}.txt`), `Unrelated notes about ${topic}.\n`);
    }
    await addFolder(test.core, folder, { name: 'Garden' });
    await test.core.idle();
    handle = createTroveApi(test.core, { version: 'test' });
    dispatcher = createDispatcher(handle.api, silentLogger, { validateOutput: true });
  }, 60_000);

  afterAll(async () => {
    handle?.close();
    await test?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  const call = async <T>(command: string, input: unknown): Promise<T> => {
    const result = await dispatcher.dispatch(command, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as T;
  };

  it('returns the operators understood, a suggestion and cleaned snippets that pass the output schema', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'kwgardenzq -draft in:garden kwtoolz' });
    // The title from inside the file, with the file's name beside it.
    expect(r.groups.map((g) => [g.document.title, g.document.fileName, g.document.folder])).toEqual([
      ['Plan', 'plan.md', ''],
    ]);
    expect(r.operators).toEqual([
      { kind: 'exclude', text: '-draft', value: 'draft', negated: true },
      { kind: 'in', text: 'in:garden', value: 'garden', negated: false, connectorIds: [expect.any(String)] },
    ]);
    const snippet = r.groups[0]!.chunks[0]!.snippet;
    expect(snippet.map((s) => s.text).join('')).toContain('The kwgardenzq plan: see the map and kwtoolzq --fast');
    expect(snippet).toContainEqual({ text: 'kwtoolzq', match: true, code: true });
    const typo = await call<CommandOutput<'search'>>('search', { query: 'kwgardnzq' });
    expect(typo.suggestion).toEqual({
      query: 'kwgardenzq',
      corrections: [{ word: 'kwgardnzq', correction: 'kwgardenzq' }],
    });
  });

  it('shows a source file’s passage as the code it is, in the snippet and in context', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'kwcodezq' });
    // Where it is in the watched folder, to tell it from another banner.py.
    expect(r.groups[0]!.document).toMatchObject({ title: 'banner.py', fileName: null, folder: 'tools/' });
    const chunk = r.groups[0]!.chunks[0]!;
    expect(chunk.snippet.every((s) => s.code)).toBe(true);
    // Verbatim: a comment is not a heading, emphasis, backticks and links stay as written.
    const shown = chunk.snippet.map((s) => s.text).join('');
    expect(shown).toContain('# Render the kwcodezq banner');
    expect(shown).toContain('return f"**{name}** is `ready` at [home](/)"');
    const context = await call<CommandOutput<'chunkContext'>>('chunkContext', {
      chunkId: chunk.chunkId,
      query: 'kwcodezq',
    });
    const segments = context.chunks.find((c) => c.current)!.segments;
    expect(segments.every((s) => s.code)).toBe(true);
    expect(segments.map((s) => s.text).join('')).toContain('def banner(name):\n    return f"**{name}**');
  });

  it('shows the end of a fenced block cut across chunks as code, and the prose after it as prose', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'kwrestartzq' });
    const chunk = r.groups[0]!.chunks[0]!;
    const read = (segments: Array<{ text: string; code?: boolean }>, code: boolean): string =>
      segments
        .filter((s) => (s.code ?? false) === code)
        .map((s) => s.text)
        .join('');
    // Without the fence that opened the block, its closing fence read as an opening one: code and prose swapped.
    expect(read(chunk.snippet, false)).toContain('kwrestartzq the service and watch its log.');
    expect(read(chunk.snippet, true)).not.toContain('kwrestartzq');
    const context = await call<CommandOutput<'chunkContext'>>('chunkContext', {
      chunkId: chunk.chunkId,
      query: 'kwrestartzq',
    });
    // The block's last lines, in the chunk before, as code; the sentence after it as prose.
    const before = context.chunks[context.chunks.findIndex((c) => c.current) - 1]!.segments;
    expect(read(before, true)).toContain('export STAGE_79_DIR=/srv/stage/79   # stage 79 of the build');
    expect(read(before, false).trim()).toBe('');
    const current = context.chunks.find((c) => c.current)!.segments;
    expect(read(current, false)).toContain('kwrestartzq the service');
    expect(read(current, true)).toBe('');
  });

  it('shows the code blocks of AsciiDoc and reStructuredText files as code, known by the file name', async () => {
    for (const [word, code] of [
      ['kwadoczq', '$ make kwadoczq'],
      ['kwrstzq', 'kwrstzq --init'],
    ] as const) {
      const r = await call<CommandOutput<'search'>>('search', { query: word });
      const chunk = r.groups[0]!.chunks[0]!;
      expect(
        chunk.snippet
          .filter((s) => s.code)
          .map((s) => s.text)
          .join(''),
      ).toBe(code);
      expect(
        chunk.snippet
          .filter((s) => !s.code)
          .map((s) => s.text)
          .join(''),
      ).toContain(`Then ${word}`);
      const context = await call<CommandOutput<'chunkContext'>>('chunkContext', {
        chunkId: chunk.chunkId,
        query: word,
      });
      const segments = context.chunks.find((c) => c.current)!.segments;
      expect(
        segments
          .filter((s) => s.code)
          .map((s) => s.text)
          .join(''),
      ).toBe(code);
    }
  });

  it('says which class and method a passage of code is in', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'kwdeepzq' });
    const chunk = r.groups[0]!.chunks[0]!;
    expect(chunk.headingPath).toEqual(['class KwledgerzqBook', 'settle()']);
    expect(chunk.snippet.map((s) => s.text).join('')).toContain('const kwdeepzq = entry.amount;');
  });

  it('shows the lines of code holding the words, not lines found only through the method they are in', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'KwledgerzqBook' });
    expect(r.groups[0]!.document.title).toBe('ledger.ts');
    for (const chunk of r.groups[0]!.chunks) expect(chunk.snippet.some((s) => s.match)).toBe(true);
  });

  it('shows the opening lines of a source file found by its name alone', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'kwonlynamezq' });
    const [chunk] = r.groups[0]!.chunks;
    expect(chunk!.snippet.every((s) => s.code)).toBe(true);
    expect(chunk!.snippet.map((s) => s.text).join('')).toContain('import sys');
  });

  it('answers a malformed operator with a VALIDATION error naming it', async () => {
    await expect(call('search', { query: 'kwgardenzq type:nonsense' })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('"type:nonsense"'),
    });
  });

  it('titles a presentation by its title property and says which slide a passage is on', async () => {
    const r = await call<CommandOutput<'search'>>('search', { query: 'kwslidezq' });
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.document).toMatchObject({
      title: 'Quarterly review',
      fileName: 'deck.pptx',
      pageUnit: 'slide',
    });
    expect(r.groups[0]!.chunks[0]!.page).toBe(2);
  });

  it('gives a chunk in context with highlights, and where the original is', async () => {
    const found = await call<CommandOutput<'search'>>('search', { query: 'kwgardenzq plan' });
    const plan = found.groups.find((g) => g.document.fileName === 'plan.md')!;
    const context = await call<CommandOutput<'chunkContext'>>('chunkContext', {
      chunkId: plan.chunks[0]!.chunkId,
      query: 'kwgardenzq -draft',
    });
    expect(context.documentId).toBe(plan.document.id);
    const current = context.chunks.find((c) => c.current)!;
    expect(current.segments.filter((s) => s.match).map((s) => s.text.toLowerCase())).toContain('kwgardenzq');
    // Shown text: the link's words, not its markup; code kept as code.
    const text = current.segments.map((s) => s.text).join('');
    expect(text).toContain('see the map and');
    // A document opening with its title keeps it in the passage (the pane's label leaves it out).
    expect(text).toMatch(/^Plan\s+The kwgardenzq plan/);
    expect(current.segments.some((s) => s.code && s.text.includes('kwtoolzq --fast'))).toBe(true);
    await expect(call('chunkContext', { chunkId: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('chunkContext', { chunkId: plan.chunks[0]!.chunkId, around: 9 })).rejects.toMatchObject({
      code: 'VALIDATION',
    });

    const target = await call<CommandOutput<'openTarget'>>('openTarget', { documentId: plan.document.id });
    expect(target).toEqual({
      kind: 'file',
      path: join(folder, 'plan.md'),
      exists: true,
      copy: false,
      mimeType: expect.stringMatching(/markdown/),
    });
    await expect(call('openTarget', { documentId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does not repeat in a passage the section heading its label shows', async () => {
    const found = await call<CommandOutput<'search'>>('search', { query: 'kwsectionzq herbs' });
    const chunk = found.groups.find((g) => g.document.fileName === 'beds.md')!.chunks[0]!;
    expect(chunk.headingPath).toEqual(['Raised beds', 'Kwsectionzq']);
    const context = await call<CommandOutput<'chunkContext'>>('chunkContext', {
      chunkId: chunk.chunkId,
      query: 'herbs',
    });
    const current = context.chunks.find((c) => c.current)!;
    expect(current.segments.map((s) => s.text).join('')).toBe('The kwsectionzq bed holds herbs.');
  });

  it('shows the text that neighbouring passages share once, the found one whole', async () => {
    const found = await call<CommandOutput<'search'>>('search', { query: 'kwessayzq' });
    const chunk = found.groups.find((g) => g.document.fileName === 'essay.md')!.chunks[0]!;
    const spans = test.core.db
      .prepare(
        `SELECT char_start AS start, char_end AS end FROM imported_doc_chunks
         WHERE imported_document_id = ? ORDER BY chunk_index`,
      )
      .all(found.groups.find((g) => g.document.fileName === 'essay.md')!.document.id) as Array<{
      start: number;
      end: number;
    }>;
    // The chunks do overlap, or this test would prove nothing.
    expect(spans.some((s, i) => i > 0 && s.start < spans[i - 1]!.end)).toBe(true);
    const context = await call<CommandOutput<'chunkContext'>>('chunkContext', {
      chunkId: chunk.chunkId,
      query: 'kwessayzq',
      around: 2,
    });
    const passages = context.chunks.map((c) => c.segments.map((s) => s.text).join(''));
    expect(passages.length).toBeGreaterThanOrEqual(3);
    const remarks = passages.join(' ').match(/Remark \d+/g)!;
    // Every remark once, in order, none left out between the first and the last shown.
    const numbers = remarks.map((r) => Number(r.slice('Remark '.length)));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i));
    const current = context.chunks.find((c) => c.current)!;
    expect(current.segments.some((s) => s.match && s.text === 'kwessayzq')).toBe(true);
    // The found passage starts and ends where its chunk does, overlap included.
    const stored = test.core.db
      .prepare(`SELECT chunk_text FROM imported_doc_chunks WHERE id = ?`)
      .pluck()
      .get(chunk.chunkId) as string;
    expect(current.segments.map((s) => s.text).join('')).toBe(stored.trim());
  });

  it('finds similar documents by id, with defaults filled, and NOT_FOUND for an unknown id', async () => {
    const found = await call<CommandOutput<'search'>>('search', { query: 'kwgardenzq plan' });
    const plan = found.groups.find((g) => g.document.fileName === 'plan.md')!.document.id;
    const similar = await call<CommandOutput<'similarDocuments'>>('similarDocuments', { documentId: plan });
    expect(similar.basis).toBe('terms');
    expect(similar.groups.map((g) => g.document.title)).toEqual(['Draft']);
    expect(similar.groups[0]!.document.connectorName).toBe('Garden');
    await expect(call('similarDocuments', { documentId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('similarDocuments', { documentId: plan, limit: 0 })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('where an original is', () => {
  it('tells web pages, the person’s files and Trove’s copies of browser drops apart', () => {
    const uploads = join(tmpdir(), 'trove-data', 'uploads') + sep;
    expect(openTargetOf('https://www.notion.so/Plan-123', null, uploads)).toEqual({
      kind: 'web',
      url: 'https://www.notion.so/Plan-123',
    });
    expect(openTargetOf(pathToFileURL(join(uploads, 'batch', 'a.md')).href, 'text/markdown', uploads)).toMatchObject({
      kind: 'file',
      path: join(uploads, 'batch', 'a.md'),
      exists: false,
      copy: true,
    });
    expect(openTargetOf(null, null, uploads)).toMatchObject({ kind: 'none' });
    expect(openTargetOf('ftp://host/x', null, uploads)).toMatchObject({ kind: 'none' });
  });
});
