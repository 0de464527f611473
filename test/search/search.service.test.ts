import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/core/logger';
import type { Embedder } from '../../src/main/core/embeddings/types';
import { KEYWORD_ONLY_NOTICE, SearchService, type SearchTuning } from '../../src/main/core/search/search.service';
import type { SearchRequest, SearchResponse } from '../../src/main/core/search/types';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import { createLibrary, HashingEmbedder } from './library';

const SPACE = { provider: 'local' as const, model: 'test/hashing', dimensions: 64 };
const DAY = 86_400_000;

/** A small library about fluids and a few other things, with vectors from the hashing embedder. */
async function setup(options: { embedder?: boolean; quantized?: boolean; tuning?: SearchTuning } = {}) {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  lib.addConnector('drive', 'google_drive');
  lib.addConnector('notion', 'notion');
  const t0 = lib.clock.now();
  const docs = {
    boundary: lib.addDocument({
      connectorId: 'folder',
      title: 'Boundary layer transition',
      chunks: ['Laminar flow over a flat plate becomes turbulent. The transition depends on the Reynolds number.'],
      modifiedAt: t0 - 30 * DAY,
    }),
    mentions: lib.addDocument({
      connectorId: 'folder',
      title: 'Wind tunnel notes',
      chunks: [
        'We measured drag in the wind tunnel at several speeds.',
        'A boundary layer forms near the wall; the boundary layer thickness grows downstream.',
      ],
      modifiedAt: t0 - 10 * DAY,
    }),
    recipe: lib.addDocument({
      connectorId: 'drive',
      title: 'Sourdough bread recipe',
      chunks: ['Mix flour, water and salt. Let the dough rise overnight. Bake in a hot oven.'],
      mimeType: 'application/vnd.google-apps.document',
      modifiedAt: t0 - 2 * DAY,
    }),
    meeting: lib.addDocument({
      connectorId: 'notion',
      title: 'Team meeting',
      chunks: ['Agenda: budget, hiring and the bread machine for the kitchen. Action items follow.'],
      mimeType: 'text/markdown',
      modifiedAt: t0 - DAY,
    }),
    pending: lib.addDocument({
      connectorId: 'folder',
      title: 'Boundary layer draft',
      chunks: ['Boundary layer boundary layer boundary layer.'],
      status: 'processing',
    }),
  };
  const embedder = new HashingEmbedder(SPACE);
  const spaces = new EmbeddingSpacesRepo(lib.db, lib.clock);
  const space = spaces.ensure(SPACE, { quantized: options.quantized ?? false });
  spaces.setActive(space.id);
  const vectors = new VectorsRepo(lib.db);
  // Like ingestion, embed each chunk with its document title in front.
  const rows = lib.db
    .prepare(
      `SELECT c.id, d.title || char(10) || c.chunk_text AS text
       FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id`,
    )
    .all() as Array<{ id: number; text: string }>;
  vectors.upsert(
    space,
    rows.map((r) => ({ chunkId: r.id, vector: embedder.embed(r.text) })),
  );
  const useEmbedder = options.embedder ?? true;
  const service = new SearchService({
    db: lib.db,
    clock: lib.clock,
    getEmbedder: () => (useEmbedder ? embedder : null),
    logger: silentLogger,
    tuning: options.tuning,
  });
  return { ...lib, docs, service, embedder, space, vectors };
}

const titles = (r: SearchResponse): string[] => r.groups.map((g) => g.document.title);

describe('SearchService ranking', () => {
  it('ranks an exact title match first, in every mode', async () => {
    const { service } = await setup();
    for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
      const r = await service.search({ query: 'sourdough bread recipe', mode });
      expect(r.mode).toBe(mode);
      expect(titles(r)[0]).toBe('Sourdough bread recipe');
    }
  });

  it('groups chunks by document, best chunk first, and marks keyword matches in snippets', async () => {
    const { service, docs } = await setup();
    const r = await service.search({ query: 'boundary layer', mode: 'keyword' });
    const tunnel = r.groups.find((g) => g.document.id === docs.mentions.id)!;
    expect(tunnel.chunks[0]!.chunkId).toBe(docs.mentions.chunkIds[1]);
    const marked = tunnel.chunks[0]!.snippet.filter((s) => s.match).map((s) => s.text.toLowerCase());
    expect(marked).toContain('boundary');
    // The snippet comes from this chunk's own text, not from another match.
    expect(tunnel.chunks[0]!.snippet.map((s) => s.text).join('')).toContain('thickness grows downstream');
    expect(tunnel.chunks[0]!.headingPath).toEqual(['Wind tunnel notes']);
    expect(r.groups[0]!.document).toMatchObject({
      connectorType: 'local_folder',
      sourceUrl: expect.stringContaining('file:///'),
    });
  });

  it("marks a short question's function words only beside its other words", async () => {
    const lib = createLibrary();
    lib.addConnector('folder', 'local_folder');
    const busy = 'The list of the tasks of the team for the week and the notes of the meeting of the month. '.repeat(4);
    const filler = 'Printers, desks and chairs were counted on Monday by everyone on the floor. '.repeat(3);
    lib.addDocument({
      connectorId: 'folder',
      title: 'office.md',
      chunks: [`${busy}${filler}Set the proxy address in the settings before you configure the browser.`],
    });
    const service = new SearchService({ db: lib.db, clock: lib.clock, getEmbedder: () => null, logger: silentLogger });
    const snippetOf = async (query: string) => {
      const [group] = (await service.search({ query, mode: 'keyword' })).groups;
      const snippet = group!.chunks[0]!.snippet;
      return { text: snippet.map((s) => s.text).join(''), marked: snippet.filter((s) => s.match).map((s) => s.text) };
    };

    const question = await snippetOf('how do I configure the proxy');
    expect(question.text).toContain('Set the proxy address');
    expect(question.marked.length).toBeGreaterThan(0);
    for (const mark of question.marked) expect(mark.toLowerCase()).toMatch(/proxy|configure/);
    // A query made only of function words has nothing else to mark.
    expect((await snippetOf('of the')).marked.map((m) => m.toLowerCase())).toContain('the');
  });

  it('matches phrases in quotes and the last word as a prefix while typing', async () => {
    const { service } = await setup();
    expect(titles(await service.search({ query: '"layer thickness"', mode: 'keyword' }))).toEqual([
      'Wind tunnel notes',
    ]);
    expect(titles(await service.search({ query: '"thickness layer"', mode: 'keyword' }))).toEqual([]);
    expect(titles(await service.search({ query: 'sourd', mode: 'keyword' }))).toEqual(['Sourdough bread recipe']);
    expect(titles(await service.search({ query: 'sourd ', mode: 'keyword' }))).toEqual([]);
  });

  it('never returns documents that are not completed, nor deleted ones, nor their purged vectors', async () => {
    const { service, db, docs, vectors, space } = await setup();
    for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
      const ids = (await service.search({ query: 'boundary layer draft', mode, limit: 50 })).groups.map(
        (g) => g.document.id,
      );
      expect(ids).not.toContain(docs.pending.id);
    }
    db.prepare(`UPDATE imported_documents SET sync_status = 'deleted' WHERE id = ?`).run(docs.recipe.id);
    for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
      expect(titles(await service.search({ query: 'sourdough bread', mode, limit: 50 }))).not.toContain(
        'Sourdough bread recipe',
      );
    }
    const before = vectors.count(space);
    db.prepare(`DELETE FROM imported_documents WHERE id = ?`).run(docs.recipe.id);
    expect(vectors.purgeGarbage()).toBe(1);
    expect(vectors.count(space)).toBe(before - 1);
    for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
      expect(titles(await service.search({ query: 'sourdough bread', mode, limit: 50 }))).not.toContain(
        'Sourdough bread recipe',
      );
    }
  });

  it('picks the best-matching sentence for a semantic-only hit', async () => {
    const { service } = await setup();
    // "overnight" appears only in the recipe; the hashing embedder links it, FTS does not see "rises".
    const r = await service.search({ query: 'dough rise overnight', mode: 'semantic' });
    const recipe = r.groups.find((g) => g.document.title === 'Sourdough bread recipe')!;
    expect(recipe.chunks[0]!.snippet.map((s) => s.text).join('')).toBe('Let the dough rise overnight.');
    expect(recipe.chunks[0]!.snippet.every((s) => !s.match)).toBe(true);
  });
});

describe('SearchService filters', () => {
  const cases: Array<[string, SearchRequest['filters'], string[]]> = [
    ['connector', { connectorIds: ['drive'] }, ['Sourdough bread recipe']],
    ['source type', { sourceTypes: ['notion'] }, ['Team meeting']],
    [
      'mime type',
      { mimeTypes: ['text/markdown', 'application/vnd.google-apps.document'] },
      ['Sourdough bread recipe', 'Team meeting'],
    ],
  ];
  for (const [name, filters, expected] of cases) {
    it(`filters by ${name} in every mode`, async () => {
      const { service } = await setup();
      for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
        const r = await service.search({ query: 'bread budget boundary layer', mode, filters, limit: 50 });
        expect(titles(r).sort()).toEqual(expected);
      }
    });
  }

  it('filters by modified date range (inclusive)', async () => {
    const { service, clock } = await setup();
    const now = clock.now();
    const r = await service.search({
      query: 'bread budget boundary layer',
      mode: 'hybrid',
      filters: { modifiedFrom: now - 10 * DAY, modifiedTo: now - 2 * DAY },
      limit: 50,
    });
    expect(titles(r).sort()).toEqual(['Sourdough bread recipe', 'Wind tunnel notes']);
  });
});

describe('SearchService hostile input', () => {
  const hostile = [
    '"',
    '""',
    '"""',
    'AND',
    'OR',
    'NOT',
    'NEAR',
    'NEAR(',
    'NEAR(a b, 2)',
    'a AND',
    'AND OR NOT',
    '(',
    ')',
    '(()',
    'col:x',
    'title:boundary',
    'chunk_text:flow',
    '*',
    'a*',
    '*a',
    '^foo',
    '^',
    '🙂',
    '🙂🙂 bread',
    'a"b',
    '"unbalanced quote',
    "'); DROP TABLE imported_documents; --",
    '',
    '   ',
    '\t\n',
    '-',
    '--',
    '+',
    'a+b',
    '{a b}',
    '[x]',
    'a:b:c',
    '\\',
    '\u0000',
    'NOT bread',
    'bread NOT',
    '"bread" OR',
    'x'.repeat(5000),
    Array.from({ length: 400 }, (_, i) => `w${i}`).join(' '),
    'ünïcödé straße',
    '中文 搜索',
    'مرحبا',
    '%',
    '_',
    ';',
    '"a" "b" "',
    'near/3',
    'a NEAR/2 b',
    '"boundary layer',
  ];
  it('never throws and never leaks FTS5 syntax errors, in any mode', async () => {
    const { service, db } = await setup();
    for (const query of hostile) {
      for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
        const r = await service.search({ query, mode });
        expect(Array.isArray(r.groups)).toBe(true);
      }
    }
    expect(db.prepare(`SELECT count(*) FROM imported_documents`).pluck().get()).toBe(5);
    const r = await service.search({ query: 'title:boundary', mode: 'keyword' });
    expect(titles(r)).toContain('Boundary layer transition');
  });

  it('rejects a malformed cursor or page size with a validation error', async () => {
    const { service } = await setup();
    await expect(service.search({ query: 'bread', cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(service.search({ query: 'bread', limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('SearchService paging', () => {
  it('pages through every result exactly once, deterministically', async () => {
    const { service, addDocument } = await setup();
    for (let i = 0; i < 37; i++) {
      // Identical texts force score ties, which the cursor must still break deterministically.
      addDocument({
        connectorId: 'folder',
        title: `Note ${i}`,
        chunks: [`fluid flow note ${i % 3 === 0 ? 'fluid' : ''}`],
      });
    }
    for (const mode of ['keyword', 'hybrid'] as const) {
      const full = await service.search({ query: 'fluid flow', mode, limit: 100 });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await service.search({ query: 'fluid flow', mode, limit: 7, cursor });
        seen.push(...page.groups.map((g) => g.document.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen).toEqual(full.groups.map((g) => g.document.id));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(38);
    }
  });

  it('refuses a cursor from a different search', async () => {
    const { service } = await setup();
    const first = await service.search({ query: 'bread boundary layer flow', limit: 1 });
    expect(first.nextCursor).toBeDefined();
    await expect(service.search({ query: 'something else', limit: 1, cursor: first.nextCursor })).rejects.toMatchObject(
      {
        code: 'VALIDATION',
      },
    );
  });
});

describe('SearchService fallback and cache', () => {
  it('runs keyword-only and says so while no embedder is ready', async () => {
    const { service } = await setup({ embedder: false });
    for (const mode of ['hybrid', 'semantic'] as const) {
      const r = await service.search({ query: 'sourdough', mode });
      expect(r.mode).toBe('keyword');
      expect(r.notice).toBe(KEYWORD_ONLY_NOTICE);
      expect(titles(r)).toEqual(['Sourdough bread recipe']);
    }
    const keyword = await service.search({ query: 'sourdough', mode: 'keyword' });
    expect(keyword.notice).toBeUndefined();
  });

  it('falls back when the embedder belongs to another space than the active one', async () => {
    const lib = await setup();
    const other: Embedder = new HashingEmbedder({ provider: 'gemini', model: 'x', dimensions: 64 });
    const service = new SearchService({ db: lib.db, clock: lib.clock, getEmbedder: () => other, logger: silentLogger });
    const r = await service.search({ query: 'bread' });
    expect(r.mode).toBe('keyword');
    expect(r.notice).toBe(KEYWORD_ONLY_NOTICE);
  });

  it('embeds a repeated query once', async () => {
    const { service, embedder } = await setup();
    await service.search({ query: 'wind tunnel drag' });
    await service.search({ query: 'wind tunnel drag' });
    expect(embedder.queryCalls).toBe(1);
  });
});
