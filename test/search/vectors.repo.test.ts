import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import { createLibrary, normalize } from './library';

const SPACE = { provider: 'local' as const, model: 'test/tiny', dimensions: 8 };

function unit(...xs: number[]): Float32Array {
  return normalize(new Float32Array(xs));
}

function tableExists(db: ReturnType<typeof createLibrary>['db'], name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined;
}

describe('EmbeddingSpacesRepo', () => {
  it('registers a space once, creates its vec0 table, and keeps one active space', () => {
    const { db, clock } = createLibrary();
    const spaces = new EmbeddingSpacesRepo(db, clock);
    const a = spaces.ensure(SPACE);
    expect(spaces.ensure(SPACE).id).toBe(a.id);
    expect(tableExists(db, a.vectorTable)).toBe(true);
    expect(tableExists(db, a.bitsTable)).toBe(false);
    const b = spaces.ensure({ provider: 'gemini', model: 'gemini-embedding-001', dimensions: 16 });
    expect(spaces.list().map((s) => s.spaceKey)).toEqual(['local/test/tiny/8', 'gemini/gemini-embedding-001/16']);
    expect(spaces.getActive()).toBeUndefined();
    spaces.setActive(a.id);
    spaces.setActive(b.id);
    expect(spaces.getActive()?.id).toBe(b.id);
    expect(spaces.get(a.id)?.isActive).toBe(false);
    expect(() => spaces.setActive(999)).toThrow(AppError);
  });

  it('builds the bit table from stored vectors when quantisation is turned on, and drops it when off', () => {
    const { db, clock, addConnector, addDocument } = createLibrary();
    addConnector('c1');
    const { chunkIds } = addDocument({ connectorId: 'c1', title: 't', chunks: ['one', 'two'] });
    const spaces = new EmbeddingSpacesRepo(db, clock);
    const vectors = new VectorsRepo(db);
    const space = spaces.ensure(SPACE);
    vectors.upsert(space, [
      { chunkId: chunkIds[0]!, vector: unit(1, -1, 1, -1, 1, -1, 1, -1) },
      { chunkId: chunkIds[1]!, vector: unit(-1, 1, -1, 1, -1, 1, -1, 1) },
    ]);
    const on = spaces.setQuantized(space.id, true);
    expect(on.quantized).toBe(true);
    expect(db.prepare(`SELECT count(*) FROM ${on.bitsTable}`).pluck().get()).toBe(2);
    expect(db.prepare(`SELECT count(*) FROM ${on.rescoreTable}`).pluck().get()).toBe(2);
    // A later upsert with a stale SpaceRow (quantized: false) still writes the bit copy.
    const { chunkIds: more } = addDocument({ connectorId: 'c1', title: 'u', chunks: ['three'] });
    vectors.upsert(space, [{ chunkId: more[0]!, vector: unit(1, 1, 1, 1, -1, -1, -1, -1) }]);
    expect(db.prepare(`SELECT count(*) FROM ${on.bitsTable}`).pluck().get()).toBe(3);
    expect(db.prepare(`SELECT count(*) FROM ${on.rescoreTable}`).pluck().get()).toBe(3);
    spaces.setQuantized(space.id, false);
    expect(tableExists(db, on.bitsTable)).toBe(false);
    expect(tableExists(db, on.rescoreTable)).toBe(false);
    expect(() => spaces.ensure({ provider: 'local', model: 'odd', dimensions: 12 }, { quantized: true })).toThrow(
      /divisible by 8/,
    );
  });
});

describe('VectorsRepo', () => {
  it('replaces vectors on upsert, rejects wrong dimensions, counts and lists chunks without vectors', () => {
    const { db, clock, addConnector, addDocument } = createLibrary();
    addConnector('c1');
    const { chunkIds } = addDocument({ connectorId: 'c1', title: 't', chunks: ['a', 'b', 'c'] });
    const space = new EmbeddingSpacesRepo(db, clock).ensure(SPACE);
    const vectors = new VectorsRepo(db);
    vectors.upsert(space, [{ chunkId: chunkIds[0]!, vector: unit(1, 0, 0, 0, 0, 0, 0, 0) }]);
    vectors.upsert(space, [{ chunkId: chunkIds[0]!, vector: unit(0, 1, 0, 0, 0, 0, 0, 0) }]);
    expect(vectors.count(space)).toBe(1);
    expect(vectors.chunkIdsWithoutVectors(space)).toEqual([chunkIds[1], chunkIds[2]]);
    // Chunks of the most recently changed documents come first.
    const newer = addDocument({ connectorId: 'c1', title: 'newer', chunks: ['d'], modifiedAt: clock.now() + 60_000 });
    expect(vectors.chunkIdsWithoutVectors(space)).toEqual([newer.chunkIds[0], chunkIds[1], chunkIds[2]]);
    const stored = db
      .prepare(`SELECT vec_to_json(embedding) FROM ${space.vectorTable} WHERE rowid = ?`)
      .pluck()
      .get(BigInt(chunkIds[0]!));
    expect(JSON.parse(stored as string)[1]).toBeCloseTo(1);
    expect(() => vectors.upsert(space, [{ chunkId: chunkIds[1]!, vector: new Float32Array(3) }])).toThrow(
      /3 dimensions/,
    );
    vectors.deleteChunks(space, [chunkIds[0]!]);
    expect(vectors.count(space)).toBe(0);
  });

  it('purges the vectors of deleted chunks from every space, float and bit tables alike', () => {
    const { db, clock, addConnector, addDocument } = createLibrary();
    addConnector('c1');
    const keep = addDocument({ connectorId: 'c1', title: 'keep', chunks: ['k'] });
    const gone = addDocument({ connectorId: 'c1', title: 'gone', chunks: ['g1', 'g2'] });
    const spaces = new EmbeddingSpacesRepo(db, clock);
    const s1 = spaces.ensure(SPACE, { quantized: true });
    const s2 = spaces.ensure({ provider: 'gemini', model: 'g', dimensions: 8 });
    const vectors = new VectorsRepo(db);
    for (const s of [s1, s2]) {
      vectors.upsert(
        s,
        [...keep.chunkIds, ...gone.chunkIds].map((chunkId, i) => ({ chunkId, vector: unit(1, i, 0, 0, 0, 0, 0, 1) })),
      );
    }
    db.prepare(`DELETE FROM imported_documents WHERE id = ?`).run(gone.id);
    expect(vectors.purgeGarbage()).toBe(2);
    expect(vectors.count(s1)).toBe(1);
    expect(vectors.count(s2)).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM ${s1.bitsTable}`).pluck().get()).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM ${s1.rescoreTable}`).pluck().get()).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM vector_gc`).pluck().get()).toBe(0);
    expect(vectors.purgeGarbage()).toBe(0);
  });

  it('keeps a partitioned index in step: upserts land in a list, purges and deletes reach every table', () => {
    const { db, clock, addConnector, addDocument } = createLibrary();
    addConnector('c1');
    const doc = addDocument({ connectorId: 'c1', title: 't', chunks: ['a', 'b', 'c', 'd'] });
    const spaces = new EmbeddingSpacesRepo(db, clock);
    const space = spaces.ensure(SPACE);
    const vectors = new VectorsRepo(db);
    const east = unit(1, 1, 1, 1, 0, 0, 0, 0);
    const west = unit(0, 0, 0, 0, 1, 1, 1, 1);
    vectors.upsert(space, [
      { chunkId: doc.chunkIds[0]!, vector: east },
      { chunkId: doc.chunkIds[1]!, vector: unit(1, 1, 1, 0.8, 0, 0, 0, 0.1) },
      { chunkId: doc.chunkIds[2]!, vector: west },
      { chunkId: doc.chunkIds[3]!, vector: unit(0.1, 0, 0, 0, 1, 1, 0.8, 1) },
    ]);
    const q = spaces.rebuildQuantized(space.id, { lists: 2 }).space;
    expect(q.ivfLists).toBe(2);
    const listOf = (chunkId: number) =>
      db.prepare(`SELECT list FROM ${q.bitsTable} WHERE rowid = ?`).pluck().get(BigInt(chunkId)) as number;
    // Two clear groups, two lists: each group shares one.
    expect(listOf(doc.chunkIds[0]!)).toBe(listOf(doc.chunkIds[1]!));
    expect(listOf(doc.chunkIds[2]!)).toBe(listOf(doc.chunkIds[3]!));
    expect(listOf(doc.chunkIds[0]!)).not.toBe(listOf(doc.chunkIds[2]!));
    const more = addDocument({ connectorId: 'c1', title: 'u', chunks: ['e'] });
    vectors.upsert(space, [{ chunkId: more.chunkIds[0]!, vector: unit(0, 0, 0, 0, 1, 0.9, 1, 1) }]);
    expect(listOf(more.chunkIds[0]!)).toBe(listOf(doc.chunkIds[2]!));

    vectors.deleteChunks(space, [doc.chunkIds[0]!]);
    db.prepare(`DELETE FROM imported_documents WHERE id = ?`).run(more.id);
    expect(vectors.purgeGarbage()).toBe(1);
    const ids = (table: string, column = 'rowid') =>
      (db.prepare(`SELECT ${column} FROM ${table} ORDER BY 1`).pluck().all() as number[]).map(Number);
    const left = doc.chunkIds.slice(1);
    expect(ids(q.vectorTable)).toEqual(left);
    expect(ids(q.bitsTable)).toEqual(left);
    expect(ids(q.rescoreTable, 'chunk_id')).toEqual(left);
  });
});
