import { describe, expect, it } from 'vitest';
import type { EmbedOptions } from '../../src/main/core/embeddings/types';
import type { SearchResponse } from '../../src/main/core/search/types';
import { createLibrary, HashingEmbedder, searchServiceFor } from './library';

const SPACE = { provider: 'local' as const, model: 'test/hashing', dimensions: 64 };

/**
 * The hashing embedder, except that document calls (the snippet sentences)
 * are recorded and held until `release()`, like a model busy with indexing.
 */
class HeldEmbedder extends HashingEmbedder {
  readonly calls: Array<{ texts: string[]; options?: EmbedOptions }> = [];
  private held: Array<() => void> = [];
  private done: Array<Promise<unknown>> = [];

  override embedDocuments(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    this.calls.push({ texts, options });
    const answer = new Promise<Float32Array[]>((resolve) =>
      this.held.push(() => resolve(texts.map((t) => this.embed(t)))),
    );
    this.done.push(answer);
    return answer;
  }

  /** Answers every held call and waits until their results are taken in. */
  async release(): Promise<void> {
    for (const answer of this.held.splice(0)) answer();
    await Promise.all(this.done.splice(0));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Filler sentences that share no word with the query (each page its own). */
const filler = (page: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `Filler sentence ${page}${i} about gardening and painting fences.`);

function setup() {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  // The query "bread oven temperature": both sentences share two of its words, so the lexical
  // choice is the first, long one; by meaning, the short "Bread temperature matters." is closer.
  const recipe = lib.addDocument({
    connectorId: 'folder',
    title: 'Baking notes',
    chunks: [
      [
        'The bread goes into the oven early in the morning when people in the house are still asleep and quiet.',
        'Bread temperature matters.',
        ...filler('r', 3),
      ].join(' '),
    ],
  });
  // Many more chunks found by meaning, each with many sentences: more than one call's worth.
  for (let d = 0; d < 8; d++) {
    lib.addDocument({ connectorId: 'folder', title: `Workshop log ${d}`, chunks: [filler(`w${d}-`, 10).join(' ')] });
  }
  const { service, embedder } = searchServiceFor(lib, { embedder: new HeldEmbedder(SPACE) });
  return { service, embedder, recipeChunk: recipe.chunkIds[0]! };
}

const snippetOf = (r: SearchResponse, chunkId: number): string =>
  r.groups
    .flatMap((g) => g.chunks)
    .find((c) => c.chunkId === chunkId)!
    .snippet.map((s) => s.text)
    .join('');

describe('snippets of hits found by meaning', () => {
  it('never wait for the model: the answer comes with lexical snippets while the sentence call is held', async () => {
    const { service, embedder, recipeChunk } = setup();
    const answer = await service.search({ query: 'bread oven temperature', mode: 'semantic', limit: 20 });
    expect(answer.groups.length).toBeGreaterThan(5);
    expect(snippetOf(answer, recipeChunk)).toMatch(/^The bread goes into the oven early/);
    // The sentence call was made (and is still held), as a search's, not indexing work.
    expect(embedder.calls).toHaveLength(1);
    expect(embedder.calls[0]!.options?.purpose).toBe('search');
  });

  it('make at most one small model call per search, and none for sentences already known', async () => {
    const { service, embedder, recipeChunk } = setup();
    const query = { query: 'bread oven temperature', mode: 'semantic' as const, limit: 20 };
    await service.search(query);
    expect(embedder.calls).toHaveLength(1);
    // 9 pages found by meaning, up to 8 sentences each: one call of at most 24 sentences.
    expect(embedder.calls[0]!.texts.length).toBe(24);
    await embedder.release();

    // The same search again: the recipe's sentences are known now, so its snippet is chosen by
    // meaning; the next sentences still missing go in this search's one call.
    const again = await service.search(query);
    expect(snippetOf(again, recipeChunk)).toBe('Bread temperature matters.');
    expect(embedder.calls).toHaveLength(2);
    expect(embedder.calls[1]!.texts.length).toBeLessThanOrEqual(24);
    expect(embedder.calls[1]!.texts).not.toContain('Bread temperature matters.');
    await embedder.release();

    // Once every shown sentence is known, a search makes no sentence call at all.
    for (let i = 0; i < 5 && embedder.calls.length > 0; i++) {
      const before = embedder.calls.length;
      await service.search(query);
      await embedder.release();
      if (embedder.calls.length === before) break;
    }
    const settled = embedder.calls.length;
    await service.search(query);
    expect(embedder.calls).toHaveLength(settled);
  });

  it('keep one call per search when searches overlap, and ask for a sentence only once', async () => {
    const { service, embedder } = setup();
    await Promise.all([
      service.search({ query: 'bread oven temperature', mode: 'semantic', limit: 20 }),
      service.search({ query: 'oven bread', mode: 'semantic', limit: 20 }),
    ]);
    expect(embedder.calls.length).toBeLessThanOrEqual(2);
    const asked = embedder.calls.flatMap((c) => c.texts);
    expect(new Set(asked).size).toBe(asked.length);
  });
});
