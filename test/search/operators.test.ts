import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/main/core/search/types';
import { createLibrary, searchServiceFor } from './library';

const DAY = 86_400_000;
const titles = (r: SearchResponse): string[] => r.groups.map((g) => g.document.title).sort();
const MODES = ['keyword', 'hybrid', 'semantic'] as const;

/** Budget documents of several types, sources and dates, one with a draft in its second chunk. */
function library() {
  const lib = createLibrary();
  lib.addConnector('work', 'local_folder');
  lib.addConnector('wiki', 'notion');
  lib.db.prepare(`UPDATE connector_configs SET name = 'Team Wiki' WHERE id = 'wiki'`).run();
  const t0 = new Date(2025, 5, 15).getTime();
  const add = (title: string, chunks: string[], extra: { connectorId?: string; mimeType?: string; at: number }) =>
    lib.addDocument({
      connectorId: extra.connectorId ?? 'work',
      title,
      chunks,
      mimeType: extra.mimeType,
      modifiedAt: extra.at,
    });
  add('Budget 2025.pdf', ['The budget for 2025 plans hiring and travel.'], { mimeType: 'application/pdf', at: t0 });
  add('Budget notes.md', ['Budget ideas for the offsite and travel.', 'This is still a draft, not approved.'], {
    mimeType: 'text/markdown',
    at: t0 - 40 * DAY,
  });
  add('Old budget.md', ['Budget of 2023: travel was cut.'], {
    mimeType: 'text/markdown',
    at: new Date(2023, 2, 1).getTime(),
  });
  add('Wiki budget page', ['The team budget lives here; travel needs approval.'], {
    connectorId: 'wiki',
    mimeType: 'text/markdown',
    at: t0 - 5 * DAY,
  });
  add('Recipes', ['Sourdough bread and travel snacks.'], { mimeType: 'text/plain', at: t0 - DAY });
  return lib;
}

describe('query operators in search', () => {
  const lib = library();
  const { service } = searchServiceFor(lib);

  it('leaves out every document that holds an excluded word, in every mode', async () => {
    for (const mode of MODES) {
      const r = await service.search({ query: 'budget travel -draft -"team budget"', mode, limit: 50 });
      expect(titles(r)).toEqual(['Budget 2025.pdf', 'Old budget.md', 'Recipes']);
      expect(r.operators.map((o) => o.text)).toEqual(['-draft', '-"team budget"']);
    }
  });

  it('filters by type:, in:, after: and before:, in every mode', async () => {
    for (const mode of MODES) {
      const search = (q: string) => service.search({ query: q, mode, limit: 50 });
      expect(titles(await search('budget travel type:pdf'))).toEqual(['Budget 2025.pdf']);
      expect(titles(await search('budget travel type:md in:"team wiki"'))).toEqual(['Wiki budget page']);
      expect(titles(await search('budget travel before:2024'))).toEqual(['Old budget.md']);
      expect(titles(await search('budget travel after:2025-06 type:markdown'))).toEqual(['Wiki budget page']);
      expect(titles(await search('budget travel after:2025-06-15'))).toEqual(['Budget 2025.pdf']);
    }
  });

  it('requires title: words and phrases in every mode, including results found by meaning', async () => {
    for (const mode of MODES) {
      expect(titles(await service.search({ query: 'travel title:notes', mode, limit: 50 }))).toEqual([
        'Budget notes.md',
      ]);
      expect(titles(await service.search({ query: 'travel -title:budget', mode, limit: 50 }))).toEqual(['Recipes']);
      expect(titles(await service.search({ query: '"travel was cut"', mode, limit: 50 }))).toEqual(['Old budget.md']);
    }
  });

  it('lists the documents a query of filters only selects, newest first, page by page', async () => {
    const first = await service.search({ query: 'type:markdown', mode: 'hybrid', limit: 2 });
    expect(first.groups.map((g) => g.document.title)).toEqual(['Wiki budget page', 'Budget notes.md']);
    expect(first.groups[0]!.chunks[0]!.snippet.map((s) => s.text).join('')).toContain('team budget');
    const second = await service.search({ query: 'type:markdown', mode: 'hybrid', limit: 2, cursor: first.nextCursor });
    expect(second.groups.map((g) => g.document.title)).toEqual(['Old budget.md']);
    expect(second.nextCursor).toBeUndefined();
    expect(titles(await service.search({ query: '-budget', mode: 'keyword', limit: 50 }))).toEqual(['Recipes']);
  });

  it('returns nothing when the operators and the request filters exclude each other', async () => {
    const r = await service.search({ query: 'budget type:pdf', filters: { mimeTypes: ['text/markdown'] } });
    expect(r.groups).toEqual([]);
    expect(r.operators.map((o) => o.kind)).toEqual(['type']);
  });

  it('says which operator is malformed, as a validation error', async () => {
    for (const [query, message] of [
      ['budget type:banana', /no file type "banana"/],
      ['budget in:Nowhere', /no source is named "Nowhere".*"Team Wiki"/],
      ['budget after:2025-02-30', /not a date/],
      ['budget title:', /needs a value/],
    ] as const) {
      await expect(service.search({ query, mode: 'keyword' })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(message),
      });
    }
  });
});

describe('type: and compressed files', () => {
  const lib = createLibrary();
  lib.addConnector('docs', 'local_folder');
  const add = (title: string, mimeType: string) =>
    lib.addDocument({ connectorId: 'docs', title, chunks: [`The manual of ${title}.`], mimeType });
  add('manual.pdf', 'application/pdf');
  add('Guide.PDF.GZ', 'application/gzip');
  add('notes.md.gz', 'application/gzip');
  add('changelog.gz', 'application/gzip');
  add('notes.md', 'text/markdown');
  add('report.pdf.zip', 'application/octet-stream');
  const { service } = searchServiceFor(lib);
  const found = async (query: string) => titles(await service.search({ query, mode: 'keyword', limit: 50 }));

  it('finds a compressed file by the type of the file it holds, in any case', async () => {
    expect(await found('manual type:pdf')).toEqual(['Guide.PDF.GZ', 'manual.pdf']);
    expect(await found('manual type:markdown')).toEqual(['notes.md', 'notes.md.gz']);
  });

  it('finds every .gz file by type:gz and type:compressed, and no other', async () => {
    const compressed = ['Guide.PDF.GZ', 'changelog.gz', 'notes.md.gz'];
    expect(await found('manual type:gz')).toEqual(compressed);
    expect(await found('manual type:compressed')).toEqual(compressed);
    expect(await found('type:gz')).toEqual(compressed);
  });
});
