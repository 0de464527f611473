import { describe, expect, it } from 'vitest';
import { createMaintainSearchIndexHandler } from '../../src/main/core/handlers/maintain-search-index.handler';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { EventsRepo } from '../../src/main/core/store/events.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import { createLibrary, normalize, seededRandom } from './library';

describe('maintain_search_index', () => {
  it('turns the fast-search index on once the library is big enough, tells the person, then leaves it be', async () => {
    const { db, clock, addConnector, addDocument } = createLibrary();
    addConnector('c1');
    const spaces = new EmbeddingSpacesRepo(db, clock);
    const space = spaces.setActive(spaces.ensure({ provider: 'local', model: 'synthetic', dimensions: 16 }).id);
    const random = seededRandom(3);
    const vectors = new VectorsRepo(db);
    const events = new EventsRepo(db, clock);
    const run = createMaintainSearchIndexHandler({ db, clock, events, policy: { enableAt: 300 } });
    const addVectors = (docs: number) => {
      for (let d = 0; d < docs; d++) {
        const { chunkIds } = addDocument({ connectorId: 'c1', title: `doc ${d}`, chunks: ['a', 'b'] });
        vectors.upsert(
          space,
          chunkIds.map((chunkId) => ({
            chunkId,
            vector: normalize(Float32Array.from({ length: 16 }, () => random() - 0.5)),
          })),
        );
      }
    };

    addVectors(100); // 200 vectors: below the threshold
    expect(await run()).toEqual({ action: 'none', vectors: 200 });
    expect(spaces.get(space.id)!.quantized).toBe(false);

    addVectors(100); // 400 vectors
    expect(await run()).toEqual({ action: 'enabled', vectors: 400 });
    expect(spaces.get(space.id)!.quantized).toBe(true);
    const [notice] = events.list({ limit: 5 });
    expect(notice).toMatchObject({ title: 'Fast search is on for this library', level: 'info' });
    expect(notice!.message).toContain('400 chunks');

    expect(await run()).toEqual({ action: 'none', vectors: 400 });
    expect(events.list({ limit: 5 })).toHaveLength(1);
  });
});
