import { describe, expect, it } from 'vitest';
import { editsOf } from '../../src/main/core/search/spelling';
import { SIMILAR_BY_TERMS_NOTICE } from '../../src/main/core/search/search.service';
import type { SearchResponse } from '../../src/main/core/search/types';
import { createLibrary, searchServiceFor } from './library';

const titles = (r: { groups: SearchResponse['groups'] }): string[] => r.groups.map((g) => g.document.title);

/** Fluid dynamics notes (turbulent, boundary, archive...), a cooking page, and filler so IDF means something. */
function library() {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  const docs = {
    turbulence: lib.addDocument({
      connectorId: 'folder',
      title: 'Turbulent flow',
      chunks: [
        'Turbulent flow over the plate; turbulent eddies mix the boundary layer.',
        'Reynolds number and transition.',
      ],
    }),
    boundary: lib.addDocument({
      connectorId: 'folder',
      title: 'Boundary layers',
      chunks: ['The boundary layer thickens downstream; transition to turbulent flow follows.'],
    }),
    wake: lib.addDocument({
      connectorId: 'folder',
      title: 'Wakes',
      chunks: ['Turbulent wakes behind a cylinder shed vortices; the Reynolds number sets their frequency.'],
    }),
    bread: lib.addDocument({
      connectorId: 'folder',
      title: 'Sourdough',
      chunks: ['Sourdough bread needs flour, water, salt and a starter. Bake the bread hot.'],
    }),
    typo: lib.addDocument({ connectorId: 'folder', title: 'Scratch', chunks: ['One turbulnet slip in a note.'] }),
    garden: lib.addDocument({
      connectorId: 'folder',
      title: 'Garden',
      chunks: ['Staking keeps the tomatoes upright.'],
    }),
  };
  for (let i = 0; i < 12; i++) {
    lib.addDocument({
      connectorId: 'folder',
      title: `Log ${i}`,
      chunks: [`Archive of day ${i}: meetings and turbulent weeks, taking notes.`],
    });
  }
  return { lib, docs };
}

describe('spelling help', () => {
  const { lib } = library();
  const { service } = searchServiceFor(lib, { embedder: false });

  it('lists the words one edit away', () => {
    const edits = editsOf('form');
    expect(edits).toEqual(expect.arrayContaining(['from', 'fom', 'forms', 'foam', 'norm']));
    expect(edits).not.toContain('form');
  });

  it('suggests the library word for a word it has never seen, and matches it meanwhile', async () => {
    const r = await service.search({ query: 'archve boundary', mode: 'keyword', limit: 50 });
    expect(r.suggestion).toEqual({
      query: 'archive boundary',
      corrections: [{ word: 'archve', correction: 'archive' }],
    });
    expect(r.fuzzy).toEqual([{ word: 'archve', correction: 'archive' }]);
    expect(titles(r)).toEqual(expect.arrayContaining(['Boundary layers', 'Log 0', 'Log 11']));
  });

  it('only suggests, without matching, for a word the library has seen a couple of times', async () => {
    const r = await service.search({ query: 'turbulnet Flow', mode: 'keyword', limit: 50 });
    expect(r.suggestion).toEqual({
      query: 'turbulent Flow',
      corrections: [{ word: 'turbulnet', correction: 'turbulent' }],
    });
    expect(r.fuzzy).toBeUndefined();
    expect(titles(r)[0]).toBe('Scratch');
  });

  it('takes a rare word for the one meant where the library has it beside another word of the question', async () => {
    // "staking" is in one chunk, "taking" in twelve: alone it could be a slip, beside "tomatoes" it is the word.
    const meant = await service.search({ query: 'tomatoes staking', mode: 'keyword' });
    expect(meant.suggestion).toBeUndefined();
    expect(titles(meant)).toEqual(['Garden']);
    expect((await service.search({ query: 'staking', mode: 'keyword' })).suggestion?.query).toBe('taking');
    // A function word kept in a short question is no evidence: it stands beside anything.
    expect((await service.search({ query: 'the staking', mode: 'keyword' })).suggestion?.query).toBe('the taking');
  });

  it('leaves known words, short words, numbers and identifiers alone', async () => {
    for (const query of ['turbulent boundary', 'xq', 'flw 2024', 'x1y2z3 bread']) {
      const r = await service.search({ query, mode: 'keyword' });
      expect(r.suggestion).toBeUndefined();
      expect(r.fuzzy).toBeUndefined();
    }
  });
});

describe('more like this', () => {
  it('finds documents by meaning when a model is ready, never the document itself', async () => {
    const { lib, docs } = library();
    const { service } = searchServiceFor(lib);
    const r = await service.similar({ documentId: docs.turbulence.id, limit: 3 });
    expect(r.basis).toBe('vectors');
    expect(r.terms).toEqual([]);
    expect(titles(r)).not.toContain('Turbulent flow');
    expect(titles(r).slice(0, 2).sort()).toEqual(['Boundary layers', 'Wakes']);
    expect(titles(r)).not.toContain('Sourdough');
  });

  it('finds documents by their distinctive words without a model, and says so', async () => {
    const { lib, docs } = library();
    const { service } = searchServiceFor(lib, { embedder: false });
    const r = await service.similar({ documentId: docs.turbulence.id, limit: 5 });
    expect(r.basis).toBe('terms');
    expect(r.notice).toBe(SIMILAR_BY_TERMS_NOTICE);
    // Words of this document that are rare elsewhere lead; "turbulent", in most documents, says nothing.
    expect(r.terms.slice(0, 3)).toEqual(['eddies', 'mix', 'plate']);
    expect(r.terms).toEqual(expect.arrayContaining(['reynolds', 'boundary']));
    expect(r.terms).not.toContain('turbulent');
    expect(r.terms).not.toContain('the');
    expect(titles(r).slice(0, 2).sort()).toEqual(['Boundary layers', 'Wakes']);
    expect(titles(r)).not.toContain('Turbulent flow');
    expect(titles(r)).not.toContain('Sourdough');
    expect(r.groups[0]!.chunks[0]!.snippet.some((s) => s.match)).toBe(true);
  });

  it('says when the document is unknown or not indexed yet', async () => {
    const { lib } = library();
    const { service } = searchServiceFor(lib);
    await expect(service.similar({ documentId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const pending = lib.addDocument({ connectorId: 'folder', title: 'Later', chunks: ['x'], status: 'processing' });
    await expect(service.similar({ documentId: pending.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('not indexed yet'),
    });
    await expect(service.similar({ documentId: 'x', limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
