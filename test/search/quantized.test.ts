import { describe, expect, it } from 'vitest';
import { semanticSearch } from '../../src/main/core/search/semantic-search';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import { createLibrary, normalize, seededRandom } from './library';

const DIMS = 256;

describe('quantised first pass', () => {
  it('returns the same top 10 as exact search on a synthetic clustered set', () => {
    const { db, clock, addConnector, addDocument } = createLibrary();
    addConnector('c1');
    const random = seededRandom(7);
    const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    const centres = Array.from({ length: 100 }, () => normalize(Float32Array.from({ length: DIMS }, gauss)));
    const near = (c: Float32Array, noise: number) => normalize(Float32Array.from(c, (x) => x + noise * gauss()));

    const items: Array<{ chunkId: number; vector: Float32Array }> = [];
    for (let d = 0; d < 350; d++) {
      const { chunkIds } = addDocument({
        connectorId: 'c1',
        title: `doc ${d}`,
        chunks: ['a', 'b', 'c', 'd', 'e', 'f'],
      });
      for (const chunkId of chunkIds) items.push({ chunkId, vector: near(centres[chunkId % centres.length]!, 0.06) });
    }
    const spaces = new EmbeddingSpacesRepo(db, clock);
    const space = spaces.ensure({ provider: 'local', model: 'synthetic', dimensions: DIMS });
    new VectorsRepo(db).upsert(space, items);
    const quantized = spaces.setQuantized(space.id, true);

    let overlap = 0;
    const queries = 30;
    for (let q = 0; q < queries; q++) {
      const query = near(centres[q % centres.length]!, 0.06);
      const exact = semanticSearch(db, space, query, undefined, { pool: 10 }).map((h) => h.chunkId);
      const fast = semanticSearch(db, quantized, query, undefined, { pool: 10, oversample: 10 }).map((h) => h.chunkId);
      expect(exact).toHaveLength(10);
      overlap += fast.filter((id) => exact.includes(id)).length / 10;
      // With quantisation off for the call, the quantised space gives exact results.
      expect(
        semanticSearch(db, quantized, query, undefined, { pool: 10, useQuantized: false }).map((h) => h.chunkId),
      ).toEqual(exact);
    }
    expect(overlap / queries).toBeGreaterThanOrEqual(0.95);
  });
});
