import { describe, expect, it } from 'vitest';
import { maintainQuantizedIndex } from '../../src/main/core/search/quantized-index';
import { semanticSearch } from '../../src/main/core/search/semantic-search';
import { ivfOutgrown, loadCentroids, planLists } from '../../src/main/core/store/ivf-index';
import { nearestLists } from '../../src/main/core/search/ivf-kmeans';
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

describe('quantised index partitioned into IVF lists', () => {
  /** ~2,100 clustered vectors over two connectors (every seventh document in c2). */
  function clusteredLibrary() {
    const lib = createLibrary();
    lib.addConnector('c1');
    lib.addConnector('c2');
    const random = seededRandom(11);
    const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    const centres = Array.from({ length: 100 }, () => normalize(Float32Array.from({ length: DIMS }, gauss)));
    const near = (c: Float32Array, noise = 0.06) => normalize(Float32Array.from(c, (x) => x + noise * gauss()));
    const items: Array<{ chunkId: number; vector: Float32Array }> = [];
    const c2Chunks = new Set<number>();
    for (let d = 0; d < 350; d++) {
      const connectorId = d % 7 === 0 ? 'c2' : 'c1';
      const { chunkIds } = lib.addDocument({ connectorId, title: `doc ${d}`, chunks: ['a', 'b', 'c', 'd', 'e', 'f'] });
      for (const chunkId of chunkIds) {
        items.push({ chunkId, vector: near(centres[chunkId % centres.length]!) });
        if (connectorId === 'c2') c2Chunks.add(chunkId);
      }
    }
    const spaces = new EmbeddingSpacesRepo(lib.db, lib.clock);
    const space = spaces.ensure({ provider: 'local', model: 'synthetic', dimensions: DIMS });
    spaces.setActive(space.id);
    const vectors = new VectorsRepo(lib.db);
    vectors.upsert(space, items);
    return { ...lib, spaces, space, vectors, centres, near, items, c2Chunks };
  }
  const count = (db: ReturnType<typeof createLibrary>['db'], table: string, where = '') =>
    db.prepare(`SELECT count(*) FROM ${table} ${where}`).pluck().get() as number;

  it('trains the lists, puts every vector in one, and returns the same top 10 as exact search', () => {
    const { db, spaces, space, centres, near, items } = clusteredLibrary();
    const { space: q, report } = spaces.rebuildQuantized(space.id, { lists: 16 });
    expect(report).toMatchObject({ vectors: items.length, lists: 16 });
    expect(q).toMatchObject({ quantized: true, ivfLists: 16, ivfTrainedFor: items.length });
    expect(count(db, q.centroidsTable)).toBe(16);
    expect(count(db, q.bitsTable, 'WHERE list BETWEEN 1 AND 16')).toBe(items.length);
    expect(count(db, q.rescoreTable)).toBe(items.length);
    // Clustered data spreads over the lists rather than piling into one.
    const biggest = db.prepare(`SELECT max(n) FROM (SELECT count(*) AS n FROM ${q.bitsTable} GROUP BY list)`).pluck();
    expect(biggest.get() as number).toBeLessThan(items.length / 4);

    let overlap = 0;
    for (let i = 0; i < 30; i++) {
      const query = near(centres[i]!);
      const exact = semanticSearch(db, space, query, undefined, { pool: 10 }).map((h) => h.chunkId);
      const fast = semanticSearch(db, q, query, undefined, { pool: 10 }).map((h) => h.chunkId);
      overlap += fast.filter((id) => exact.includes(id)).length / 10;
    }
    expect(overlap / 30).toBeGreaterThanOrEqual(0.95);
    // Probing one list finds less than probing them all, which is exact up to bit-pass recall.
    const query = near(centres[3]!);
    const all = semanticSearch(db, q, query, undefined, { pool: 10, probes: 16, minCandidates: 400 });
    expect(all.map((h) => h.chunkId)).toEqual(
      semanticSearch(db, space, query, undefined, { pool: 10 }).map((h) => h.chunkId),
    );
  });

  it('rescores the nearest lists whole, so within them the top 10 is exact', () => {
    const { db, spaces, space, centres, near, items } = clusteredLibrary();
    const q = spaces.rebuildQuantized(space.id, { lists: 16 }).space;
    const centroids = loadCentroids(db, q.centroidsTable, DIMS, q.ivfVersion);
    const listOf = new Map(
      (db.prepare(`SELECT rowid, list FROM ${q.bitsTable}`).raw().all() as Array<[number, number]>).map(([id, l]) => [
        id,
        l,
      ]),
    );
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    /** The exact top 10 among the vectors of `lists` (the library's vectors are unit length). */
    const exactWithin = (query: Float32Array, lists: number[]) =>
      items
        .filter((it) => lists.includes(listOf.get(it.chunkId)!))
        .map((it) => ({ id: it.chunkId, sim: cosine(query, it.vector) }))
        .sort((a, b) => b.sim - a.sim || a.id - b.id)
        .slice(0, 10)
        .map((x) => x.id);
    for (let i = 0; i < 20; i++) {
      const query = near(centres[i * 5]!);
      const nearest = nearestLists(centroids, DIMS, query, 15);
      // One list whole and nothing else: exactly that list's top 10.
      const one = semanticSearch(db, q, query, undefined, { pool: 10, probes: 1, wholeLists: 1 });
      expect(one.map((h) => h.chunkId)).toEqual(exactWithin(query, nearest.slice(0, 1)));
      // 15 of 16 lists whole: ~2,000 candidates, more than SQLite binds as parameters, all rescored.
      const most = semanticSearch(db, q, query, undefined, { pool: 10, probes: 15, wholeLists: 15 });
      expect(most.map((h) => h.chunkId)).toEqual(exactWithin(query, nearest));
    }
  });

  it('finds more of the exact top 10 rescoring the nearest list whole than cutting every list by Hamming distance', () => {
    const { db, spaces, space, centres, near } = clusteredLibrary();
    const q = spaces.rebuildQuantized(space.id, { lists: 16 }).space;
    let whole = 0;
    let cut = 0;
    for (let i = 0; i < 30; i++) {
      const query = near(centres[i]!);
      const exact = semanticSearch(db, space, query, undefined, { pool: 10 }).map((h) => h.chunkId);
      const found = (opts: { wholeLists: number; perListK: number }) =>
        semanticSearch(db, q, query, undefined, { pool: 10, probes: 4, minCandidates: 10, oversample: 1, ...opts })
          .map((h) => h.chunkId)
          .filter((id) => exact.includes(id)).length;
      whole += found({ wholeLists: 1, perListK: 4 });
      cut += found({ wholeLists: 0, perListK: 4 });
    }
    expect(whole).toBeGreaterThan(cut);
    expect(whole / 300).toBeGreaterThanOrEqual(0.9);
  });

  it('stores the sign bits vec_quantize_binary gives, each vector once', () => {
    const { db, spaces, space, items } = clusteredLibrary();
    const q = spaces.rebuildQuantized(space.id, { lists: 16 }).space;
    const joined = `FROM ${q.bitsTable} b JOIN ${q.rescoreTable} r ON r.chunk_id = b.rowid`;
    const mismatches = `SELECT count(*) ${joined} WHERE b.embedding <> vec_quantize_binary(r.embedding)`;
    expect(db.prepare(`SELECT count(*) ${joined}`).pluck().get()).toBe(items.length);
    expect(db.prepare(mismatches).pluck().get()).toBe(0);

    // 264 dimensions: the last 32-bit sign word is half used.
    const lib = createLibrary();
    lib.addConnector('c1');
    const random = seededRandom(5);
    const odd = new EmbeddingSpacesRepo(lib.db, lib.clock).ensure({ provider: 'local', model: 'odd', dimensions: 264 });
    const { chunkIds } = lib.addDocument({ connectorId: 'c1', title: 'odd', chunks: Array(300).fill('x') });
    new VectorsRepo(lib.db).upsert(
      odd,
      chunkIds.map((chunkId) => ({
        chunkId,
        vector: normalize(Float32Array.from({ length: 264 }, () => random() - 0.5)),
      })),
    );
    const built = new EmbeddingSpacesRepo(lib.db, lib.clock).rebuildQuantized(odd.id, { lists: 4 }).space;
    const oddJoin = `FROM ${built.bitsTable} b JOIN ${built.rescoreTable} r ON r.chunk_id = b.rowid`;
    expect(lib.db.prepare(`SELECT count(*) ${oddJoin}`).pluck().get()).toBe(300);
    expect(
      lib.db.prepare(`SELECT count(*) ${oddJoin} WHERE b.embedding <> vec_quantize_binary(r.embedding)`).pluck().get(),
    ).toBe(0);
  });

  it('puts a vector written after training in its nearest list, finds it, and forgets it when deleted', () => {
    const { db, spaces, space, vectors, centres, near, addDocument } = clusteredLibrary();
    const q = spaces.rebuildQuantized(space.id, { lists: 16 }).space;
    const { chunkIds } = addDocument({ connectorId: 'c1', title: 'late', chunks: ['late'] });
    const late = chunkIds[0]!;
    const vector = near(centres[42]!, 0.01);
    vectors.upsert(space, [{ chunkId: late, vector }]);
    const centroids = loadCentroids(db, q.centroidsTable, DIMS, q.ivfVersion);
    const list = db.prepare(`SELECT list FROM ${q.bitsTable} WHERE rowid = ?`).pluck().get(BigInt(late));
    expect(list).toBe(nearestLists(centroids, DIMS, vector, 1)[0]);
    expect(semanticSearch(db, q, vector, undefined, { pool: 5 })[0]?.chunkId).toBe(late);

    // A changed vector moves to its new list.
    const moved = near(centres[77]!, 0.01);
    vectors.upsert(space, [{ chunkId: late, vector: moved }]);
    expect(db.prepare(`SELECT list FROM ${q.bitsTable} WHERE rowid = ?`).pluck().get(BigInt(late))).toBe(
      nearestLists(centroids, DIMS, moved, 1)[0],
    );
    expect(count(db, q.bitsTable, `WHERE rowid = ${late}`)).toBe(1);
    expect(semanticSearch(db, q, moved, undefined, { pool: 5 })[0]?.chunkId).toBe(late);

    vectors.deleteChunks(space, [late]);
    for (const table of [q.vectorTable, q.bitsTable]) expect(count(db, table, `WHERE rowid = ${late}`)).toBe(0);
    expect(count(db, q.rescoreTable, `WHERE chunk_id = ${late}`)).toBe(0);
    expect(semanticSearch(db, q, moved, undefined, { pool: 50 }).map((h) => h.chunkId)).not.toContain(late);
  });

  it('keeps filters working: widening probes more lists until enough chunks pass', () => {
    const { db, spaces, space, centres, near, c2Chunks } = clusteredLibrary();
    const q = spaces.rebuildQuantized(space.id, { lists: 16 }).space;
    const query = near(centres[5]!);
    const filters = { connectorIds: ['c2'] };
    const exactIds = semanticSearch(db, space, query, filters, { pool: 20 }).map((h) => h.chunkId);
    // One list holds ~130 chunks, ~20 of them in c2: widening has to probe further lists.
    const narrow = semanticSearch(db, q, query, filters, { pool: 20, probes: 1 });
    expect(narrow).toHaveLength(20);
    expect(narrow.every((h) => c2Chunks.has(h.chunkId))).toBe(true);
    // With filters the probes grow with the over-fetch (4x), so the filtered
    // hits are as good as the unpartitioned bit pass gives.
    const fast = semanticSearch(db, q, query, filters, { pool: 20 });
    expect(fast.every((h) => c2Chunks.has(h.chunkId))).toBe(true);
    const single = spaces.rebuildQuantized(space.id, { lists: 1 }).space;
    const flat = semanticSearch(db, single, query, filters, { pool: 20 });
    const found = (hits: typeof fast) => hits.filter((h) => exactIds.includes(h.chunkId)).length;
    expect(found(fast)).toBeGreaterThanOrEqual(found(flat));
    expect(found(fast)).toBeGreaterThanOrEqual(12);
  });

  it('builds the index once the active space passes the threshold, and rebuilds it after 4x growth', async () => {
    const { db, clock, space, vectors, centres, near, addDocument } = clusteredLibrary();
    const policy = { enableAt: 5000, partitionAt: 1000 };
    expect(await maintainQuantizedIndex(db, clock, policy)).toMatchObject({ action: 'none', vectors: 2100 });
    const first = await maintainQuantizedIndex(db, clock, { ...policy, enableAt: 2000 });
    expect(first).toMatchObject({ action: 'enabled', vectors: 2100, space: { quantized: true, ivfLists: 46 } });
    expect((await maintainQuantizedIndex(db, clock, policy)).action).toBe('none');

    // Grow to ~4x: 46 lists are now half of what 8,400 vectors call for.
    const random = seededRandom(3);
    for (let d = 0; d < 1050; d++) {
      const { chunkIds } = addDocument({
        connectorId: 'c1',
        title: `more ${d}`,
        chunks: ['a', 'b', 'c', 'd', 'e', 'f'],
      });
      vectors.upsert(
        space,
        chunkIds.map((chunkId) => ({ chunkId, vector: near(centres[Math.floor(random() * centres.length)]!) })),
      );
    }
    const grown = await maintainQuantizedIndex(db, clock, policy);
    expect(grown).toMatchObject({ action: 'rebuilt', vectors: 8400, space: { ivfLists: 92, ivfTrainedFor: 8400 } });
    expect(grown.space!.ivfVersion).toBe(first.space!.ivfVersion + 1);
    expect(count(db, grown.space!.bitsTable)).toBe(8400);
    expect(count(db, grown.space!.centroidsTable)).toBe(92);
  });

  it('sizes the lists by library size and says when they are outgrown', () => {
    expect(planLists(49_999)).toBe(1);
    expect(planLists(1_000_000)).toBe(1000);
    expect(ivfOutgrown(1, 10_000)).toBe(false);
    expect(ivfOutgrown(1, 60_000)).toBe(true);
    expect(ivfOutgrown(316, 300_000)).toBe(false);
    expect(ivfOutgrown(316, 400_000)).toBe(true);
  });
});
