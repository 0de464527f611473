import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { libraryVersion } from '../../src/main/core/db/library-version';
import type { Database } from 'better-sqlite3';
import { FlatVectorCache } from '../../src/main/core/search/flat-vector-cache';
import { FlatVectors } from '../../src/main/core/search/flat-vectors';
import { nearestCandidates } from '../../src/main/core/search/semantic-search';
import { EmbeddingSpacesRepo, type SpaceRow } from '../../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import { createLibrary, seededRandom, type Library } from './library';

/**
 * The search thread scans a copy of the vectors in memory (flat-vectors.ts,
 * in WebAssembly SIMD) while the library is as it was copied
 * (flat-vector-cache.ts): it must find exactly the chunks sqlite-vec's scan
 * finds, and never stand for a library that changed since.
 */

let folder: string;
let lib: Library;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'trove-flat-vectors-'));
  lib = createLibrary(join(folder, 'trove.db'));
});

afterEach(() => {
  lib.db.close();
  rmSync(folder, { recursive: true, force: true });
});

function spaceOf(dimensions: number): SpaceRow {
  return new EmbeddingSpacesRepo(lib.db, lib.clock).ensure({
    provider: 'local',
    model: `test/${dimensions}`,
    dimensions,
  });
}

/** Vectors of uneven lengths (not unit length: the scan must normalise); with `twins`, the sixth the same as the fourth, as two copies of a text have. */
function addVectors(space: SpaceRow, count: number, seed: number, firstId = 1, twins = false): Float32Array[] {
  const random = seededRandom(seed);
  const vectors = Array.from({ length: count }, () =>
    Float32Array.from({ length: space.dimensions }, () => (random() - 0.5) * (1 + 3 * random())),
  );
  if (twins) vectors[5] = vectors[3]!.slice();
  new VectorsRepo(lib.db).upsert(
    space,
    vectors.map((vector, i) => ({ chunkId: firstId + i, vector })),
  );
  return vectors;
}

function query(dimensions: number, random: () => number): Float32Array {
  return Float32Array.from({ length: dimensions }, () => random() - 0.5);
}

describe('a scan of the vectors copied into memory', () => {
  for (const dimensions of [40, 384, 770]) {
    it(`finds the chunks sqlite-vec finds, in its order, at ${dimensions} dimensions`, () => {
      const space = spaceOf(dimensions);
      addVectors(space, 700, dimensions);
      const flat = FlatVectors.read(lib.db, space.vectorTable, dimensions, 64 << 20)!;
      expect(flat.size).toBe(700);
      const random = seededRandom(99);
      for (const k of [1, 10, 20, 100]) {
        for (let q = 0; q < 5; q++) {
          const vector = query(dimensions, random);
          const exact = nearestCandidates(lib.db, space, vector, k, { pool: k });
          const copied = flat.nearest(vector, k);
          expect(copied.candidates.map((c) => c.chunkId)).toEqual(exact.candidates.map((c) => c.chunkId));
          copied.candidates.forEach((c, i) => expect(c.distance).toBeCloseTo(exact.candidates[i]!.distance, 5));
          expect(copied.complete).toBe(false);
        }
      }
    });
  }

  it('finds what sqlite-vec finds across its chunks of 1,024 vectors, with vectors deleted among them', () => {
    const space = spaceOf(384);
    addVectors(space, 2_500, 17);
    // As a re-synced document's chunks leave: holes in sqlite-vec's chunks.
    new VectorsRepo(lib.db).deleteChunks(
      space,
      Array.from({ length: 120 }, (_, i) => 1 + i * 20),
    );
    const flat = FlatVectors.read(lib.db, space.vectorTable, 384, 64 << 20)!;
    expect(flat.size).toBe(2_380);
    const random = seededRandom(3);
    for (let q = 0; q < 10; q++) {
      const vector = query(384, random);
      const exact = nearestCandidates(lib.db, space, vector, 50, { pool: 50 });
      expect(flat.nearest(vector, 50).candidates.map((c) => c.chunkId)).toEqual(exact.candidates.map((c) => c.chunkId));
    }
  });

  it('puts chunks at the same distance in chunk order, and says when it has fewer than asked', () => {
    const space = spaceOf(384);
    const vectors = addVectors(space, 12, 5, 1, true);
    const flat = FlatVectors.read(lib.db, space.vectorTable, 384, 64 << 20)!;
    // Chunks 4 and 6 have the same vector: asked about it, both are at distance ~0, in chunk order (the
    // order semantic-search.ts puts its hits in; sqlite-vec's own order of ties is its scan's).
    const found = flat.nearest(vectors[3]!, 50);
    expect(found.candidates.slice(0, 2).map((c) => c.chunkId)).toEqual([4, 6]);
    const exact = nearestCandidates(lib.db, space, vectors[3]!, 50, { pool: 50 });
    expect(found.candidates.slice(2).map((c) => c.chunkId)).toEqual(exact.candidates.slice(2).map((c) => c.chunkId));
    expect(found.candidates).toHaveLength(12);
    expect(found.complete).toBe(true);
  });

  it('is not made when it would take more memory than allowed', () => {
    const space = spaceOf(384);
    addVectors(space, 100, 1);
    const bytes = 100 * FlatVectors.bytesPerVector(384);
    expect(FlatVectors.read(lib.db, space.vectorTable, 384, bytes - 1)).toBeUndefined();
    expect(FlatVectors.read(lib.db, space.vectorTable, 384, bytes)?.size).toBe(100);
  });
});

describe('the search thread’s copy of the vectors', () => {
  /** A reader like the search thread: its own read-only connection. */
  let reader: Database;
  let asked: number;
  let cache: FlatVectorCache;

  beforeEach(() => {
    reader = openDatabase(join(folder, 'trove.db'), { migrate: false, readonly: true });
    asked = 0;
    cache = new FlatVectorCache(reader, () => asked++, { maxBytes: 64 << 20, quietMs: 100, forgetMs: 60_000 });
  });

  afterEach(() => {
    cache.close();
    reader.close();
  });

  const stamp = () => reader.transaction(() => libraryVersion(reader))();
  const lookup = (space: SpaceRow) => cache.lookup(space.vectorTable, space.dimensions, stamp());
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('is asked for once the library has been still, and stands only for the library it was read from', async () => {
    const space = spaceOf(384);
    addVectors(space, 50, 3);
    expect(lookup(space)).toBeUndefined();
    // While a sync keeps writing, the copy is not asked for.
    for (let i = 0; i < 4; i++) {
      await sleep(20);
      addVectors(space, 1, 100 + i, 1000 + i);
    }
    expect(asked).toBe(0);
    await sleep(250);
    expect(asked).toBeGreaterThan(0);
    cache.refresh();
    expect(lookup(space)?.size).toBe(54);
    // Of the library as it is: not asked for again.
    asked = 0;
    await sleep(250);
    expect(asked).toBe(0);

    // A chunk embedded since: the copy no longer stands for the library, and a new one is asked for.
    const [added] = addVectors(space, 1, 7, 2000);
    expect(lookup(space)).toBeUndefined();
    await sleep(250);
    expect(asked).toBeGreaterThan(0);
    cache.refresh();
    const copy = lookup(space)!;
    expect(copy.size).toBe(55);
    expect(copy.nearest(added!, 1).candidates[0]?.chunkId).toBe(2000);
  });

  it('is not used for another space, nor made for a table too large', async () => {
    const small = spaceOf(40);
    const large = spaceOf(384);
    addVectors(small, 10, 1);
    addVectors(large, 10, 2);
    expect(lookup(large)).toBeUndefined();
    cache.refresh();
    expect(lookup(large)?.size).toBe(10);
    expect(lookup(small)).toBeUndefined();

    let tightAsked = 0;
    const tight = new FlatVectorCache(reader, () => tightAsked++, {
      maxBytes: 9 * FlatVectors.bytesPerVector(384),
      quietMs: 10,
      forgetMs: 60_000,
    });
    try {
      expect(tight.lookup(large.vectorTable, 384, stamp())).toBeUndefined();
      tight.refresh();
      // Too large at this stamp: scanned by sqlite-vec, and not read again until the library changes.
      expect(tight.lookup(large.vectorTable, 384, stamp())).toBeUndefined();
      await sleep(40);
      expect(tightAsked).toBe(0);
    } finally {
      tight.close();
    }
  });

  it('is let go when no pass has read it for a while, and nothing is copied until the next pass', async () => {
    const space = spaceOf(384);
    addVectors(space, 20, 1);
    let forgetfulAsked = 0;
    const forgetful = new FlatVectorCache(reader, () => forgetfulAsked++, {
      maxBytes: 64 << 20,
      quietMs: 20,
      forgetMs: 150,
    });
    try {
      expect(forgetful.lookup(space.vectorTable, 384, stamp())).toBeUndefined();
      forgetful.refresh();
      expect(forgetful.lookup(space.vectorTable, 384, stamp())?.size).toBe(20);
      await sleep(300);
      // Let go, and no more looking: a sync's commit now asks for nothing.
      const asks = forgetfulAsked;
      addVectors(space, 1, 2, 500);
      await sleep(100);
      expect(forgetfulAsked).toBe(asks);
      // The next pass reads the table, and a copy is asked for again.
      expect(forgetful.lookup(space.vectorTable, 384, stamp())).toBeUndefined();
      await sleep(100);
      expect(forgetfulAsked).toBeGreaterThan(asks);
      forgetful.refresh();
      expect(forgetful.lookup(space.vectorTable, 384, stamp())?.size).toBe(21);
    } finally {
      forgetful.close();
    }
  });

  it('copies nothing when its table was dropped before the copy was made', async () => {
    const space = spaceOf(384);
    addVectors(space, 10, 1);
    expect(lookup(space)).toBeUndefined();
    lib.db.exec(`DROP TABLE ${space.vectorTable}`);
    cache.refresh();
    expect(cache.lookup(space.vectorTable, 384, stamp())).toBeUndefined();
  });
});
