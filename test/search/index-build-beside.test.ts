import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { storageFault } from '../../src/shared/storage-errors';
import { mountFaultDisk, type FaultDisk } from '../helpers/fault-disk';
import { MB, mountSmallDisk } from '../helpers/small-disk';
import { maintainQuantizedIndex } from '../../src/main/core/search/quantized-index';
import { semanticSearch } from '../../src/main/core/search/semantic-search';
import { EmbeddingSpacesRepo, type SpaceRow } from '../../src/main/core/store/embedding-spaces.repo';
import { rebuildQuantizedIndex } from '../../src/main/core/store/ivf-build-in-worker';
import { listFor, loadCentroids } from '../../src/main/core/store/ivf-index';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import { createLibrary, normalize, seededRandom } from './library';

const DIMS = 64;
/** Enough vectors for several write steps of each kind (2,048 floats, 8,192 bit rows a step). */
const DOCUMENTS = 3000;
const CHUNKS = ['a', 'b', 'c', 'd', 'e', 'f'];

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A library file with 6 clustered vectors a document in its active space
 * (18,000 by default) and a fast-search index built (generation 1), in a
 * new folder under `root`.
 */
function indexedLibrary(root = tmpdir(), documents = DOCUMENTS) {
  const folder = mkdtempSync(join(root, 'trove-index-build-'));
  folders.push(folder);
  const lib = createLibrary(join(folder, 'trove.db'));
  lib.addConnector('c1');
  const random = seededRandom(5);
  const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: 60 }, () => normalize(Float32Array.from({ length: DIMS }, gauss)));
  const near = (c: Float32Array) => normalize(Float32Array.from(c, (x) => x + 0.08 * gauss()));
  const spaces = new EmbeddingSpacesRepo(lib.db, lib.clock);
  const space = spaces.setActive(spaces.ensure({ provider: 'local', model: 'synthetic', dimensions: DIMS }).id);
  const vectors = new VectorsRepo(lib.db);
  const items: Array<{ chunkId: number; vector: Float32Array }> = [];
  for (let d = 0; d < documents; d++) {
    const { chunkIds } = lib.addDocument({ connectorId: 'c1', title: `doc ${d}`, chunks: CHUNKS });
    for (const chunkId of chunkIds) items.push({ chunkId, vector: near(centres[chunkId % centres.length]!) });
  }
  vectors.upsert(space, items);
  spaces.rebuildQuantized(space.id, { lists: 80 });
  const addVector = (): { chunkId: number; vector: Float32Array } => {
    const { chunkIds } = lib.addDocument({ connectorId: 'c1', title: 'written during the build', chunks: ['x'] });
    const item = { chunkId: chunkIds[0]!, vector: near(centres[Math.floor(random() * centres.length)]!) };
    vectors.upsert(space, [item]);
    return item;
  };
  return { ...lib, spaces, space, vectors, items, addVector };
}

const ids = (db: ReturnType<typeof createLibrary>['db'], query: string): number[] =>
  (db.prepare(query).pluck().all() as number[]).sort((a, b) => a - b);

/** Tables of the space's quantised index, of any generation. */
const indexTables = (db: ReturnType<typeof createLibrary>['db'], space: SpaceRow): string[] =>
  db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? ORDER BY name`)
    .pluck()
    .all(`${space.vectorTable}_[brc]*`)
    .filter((name) => /_(bits|rescore|centroids)(_g\d+)?$/.test(name as string)) as string[];

/** What must hold of a space's index in use: every vector once, in (nearly always) its nearest list, and nothing else. */
function indexProblems(db: ReturnType<typeof createLibrary>['db'], space: SpaceRow): string[] {
  const problems: string[] = [];
  const floats = ids(db, `SELECT rowid FROM ${space.vectorTable}`);
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(ids(db, `SELECT rowid FROM ${space.bitsTable}`), floats)) problems.push('bit rows differ from vectors');
  if (!same(ids(db, `SELECT chunk_id FROM ${space.rescoreTable}`), floats)) problems.push('rescore rows differ');
  const centroids = loadCentroids(db, space.centroidsTable, DIMS, space.ivfVersion);
  const rows = db.prepare(`SELECT b.rowid AS id, b.list, v.embedding FROM ${space.bitsTable} b
    JOIN ${space.vectorTable} v ON v.rowid = b.rowid`);
  let misplaced = 0;
  let all = 0;
  for (const row of rows.all() as Array<{ id: number; list: number; embedding: Buffer }>) {
    const vector = new Float32Array(new Uint8Array(row.embedding).buffer);
    if (row.list < 1 || row.list > space.ivfLists) problems.push(`chunk ${row.id} is in list ${row.list}`);
    if (listFor(centroids, DIMS, vector) !== row.list) misplaced++;
    all++;
  }
  // The build assigns by a Hamming shortlist, then exactly: a vector nearly as close to two centroids may go to the second.
  if (misplaced > all / 200) problems.push(`${misplaced} of ${all} bit rows are not in their vector's nearest list`);
  const expected = [space.bitsTable, space.centroidsTable, space.rescoreTable].sort();
  if (!same(indexTables(db, space) as never, expected as never)) {
    problems.push(`tables ${indexTables(db, space).join(', ')}, expected ${expected.join(', ')}`);
  }
  if (space.ivfBuilding !== null) problems.push(`still marked as building generation ${space.ivfBuilding}`);
  const listed = db.prepare(`SELECT count(*) FROM ivf_build_changes`).pluck().get() as number;
  if (listed > 0) problems.push(`${listed} changes still listed`);
  return problems;
}

/** Whether search still uses the first index generation and finds a chunk by its own vector through it. */
function stillSearchedByFirstIndex(
  db: ReturnType<typeof createLibrary>['db'],
  space: SpaceRow,
  item: { chunkId: number; vector: Float32Array },
): boolean {
  const hits = semanticSearch(db, space, item.vector, undefined, { pool: 3 }).map((h) => h.chunkId);
  return space.ivfGeneration === 1 && hits.includes(item.chunkId);
}

/** Waits (turning the event loop, as the app does meanwhile) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await turn();
}

describe('building the fast-search index beside the one in use', () => {
  it('keeps the app writing and searching on its thread while the index builds, and misses none of its writes', async () => {
    const lib = indexedLibrary();
    const { db, clock, spaces, space, vectors, items } = lib;
    const before = spaces.get(space.id)!;
    expect(before.ivfGeneration).toBe(1);

    let done = false;
    const build = rebuildQuantizedIndex(db, clock, space.id, { lists: 48 }).finally(() => (done = true));
    const added: Array<{ chunkId: number; vector: Float32Array }> = [];
    const removed: number[] = [];
    let searches = 0;
    // What the app does meanwhile: store new vectors, delete some, and search, one event-loop turn at a time.
    while (!done) {
      added.push(lib.addVector());
      const gone = items[added.length * 7]!.chunkId;
      vectors.deleteChunks(space, [gone]);
      removed.push(gone);
      const current = spaces.get(space.id)!;
      const hits = semanticSearch(db, current, added.at(-1)!.vector, undefined, { pool: 5 });
      if (current.ivfGeneration === 1) expect(hits[0]?.chunkId).toBe(added.at(-1)!.chunkId);
      searches++;
      await turn();
    }
    const report = await build;
    expect(report).toMatchObject({ lists: 48 });
    // The build took long enough for the app to do its work many times over, on its own thread.
    expect(searches).toBeGreaterThan(20);

    const after = spaces.get(space.id)!;
    expect(after).toMatchObject({ quantized: true, ivfGeneration: 2, ivfLists: 48, ivfBuilding: null });
    expect(after.ivfVersion).toBe(before.ivfVersion + 1);
    expect(indexProblems(db, after)).toEqual([]);
    // Vectors written while the build ran are found through the new index; deleted ones are gone from it.
    for (const item of added.slice(-5)) {
      expect(semanticSearch(db, after, item.vector, undefined, { pool: 3 }).map((h) => h.chunkId)).toContain(
        item.chunkId,
      );
    }
    const indexed = new Set(ids(db, `SELECT rowid FROM ${after.bitsTable}`));
    expect(removed.filter((id) => indexed.has(id))).toEqual([]);
    expect(added.every((a) => indexed.has(a.chunkId))).toBe(true);
  }, 60_000);

  it('leaves search on the old index when a build is stopped part-way; the next check clears what it left', async () => {
    const { db, clock, spaces, space } = indexedLibrary();
    const stop = new AbortController();
    const build = rebuildQuantizedIndex(db, clock, space.id, { lists: 48, signal: stop.signal });
    // Stop it once it has written part of the new generation.
    await until(() => indexTables(db, space).some((name) => name.endsWith('_rescore_g2')));
    stop.abort();
    await expect(build).rejects.toSatisfy((e) => AppError.is(e, 'CANCELLED'));

    const meanwhile = spaces.get(space.id)!;
    expect(meanwhile).toMatchObject({ ivfGeneration: 1, ivfBuilding: 2 });
    const query = semanticSearch(
      db,
      meanwhile,
      normalize(Float32Array.from({ length: DIMS }, (_, i) => i % 3)),
      undefined,
      {
        pool: 5,
      },
    );
    expect(query.length).toBeGreaterThan(0);

    // Not outgrown, so nothing is built, but what the stopped build left is cleared.
    expect(await maintainQuantizedIndex(db, clock, { partitionAt: 1000 })).toMatchObject({ action: 'none' });
    expect(indexProblems(db, spaces.get(space.id)!)).toEqual([]);
  }, 60_000);

  it('tells the job how far it is as it builds: each stage in order, of the vectors it expected, always forward', async () => {
    const { db, clock, spaces, space } = indexedLibrary();
    spaces.setQuantized(space.id, false);
    const told: Array<{ fraction: number; message: string }> = [];
    const result = await maintainQuantizedIndex(
      db,
      clock,
      { enableAt: 1000, partitionAt: 1000 },
      { onProgress: (fraction, message) => told.push({ fraction, message }) },
    );
    expect(result.action).toBe('enabled');
    const stages = [...new Set(told.map((t) => /: ([a-z]+)/.exec(t.message)![1]))];
    expect(stages).toEqual(['copying', 'finding', 'grouping', 'writing', 'switching']);
    const vectors = (DOCUMENTS * CHUNKS.length).toLocaleString('en-US');
    expect(told.filter((t) => t.message.includes('copying'))[0]!.message).toMatch(new RegExp(`of ${vectors}$`));
    expect(told.at(-1)!.message).toBe('Building the fast-search index: switching search to it');
    for (let i = 1; i < told.length; i++) expect(told[i]!.fraction).toBeGreaterThanOrEqual(told[i - 1]!.fraction);
    expect(told[0]!.fraction).toBeLessThan(0.3);
    expect(told.at(-1)!.fraction).toBeGreaterThanOrEqual(0.98);
    expect(indexProblems(db, spaces.get(space.id)!)).toEqual([]);
  }, 60_000);

  describe('on a disk that starts failing part-way through the build (a real EIO)', () => {
    let root: string;
    let disk: FaultDisk | null;
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'trove-index-disk-'));
      disk = await mountFaultDisk(root);
    });
    afterAll(async () => {
      await disk?.unmount();
      rmSync(root, { recursive: true, force: true });
    });

    // The moments a build's writes can meet the disk: copying the floats, writing the lists' bits.
    for (const [moment, table] of [
      ['while the vectors are copied', '_rescore_g2'],
      ['while the lists are written', '_bits_g2'],
    ] as const) {
      it(`${moment}: the build fails with the disk's error, search stays on the old index, and a later check recovers`, async (ctx) => {
        if (!disk) return ctx.skip('the fault file system needs root, /dev/fuse and python3-fusepy');
        // Fewer vectors (6,000, still three copy steps): every write crosses FUSE.
        const { db, clock, spaces, space, items } = indexedLibrary(disk.dir, 1000);
        const build = rebuildQuantizedIndex(db, clock, space.id, { lists: 48 });
        await until(() => indexTables(db, space).some((name) => name.endsWith(table)));
        disk.failWrites(true);
        const failure = await build.catch((error: unknown) => error);
        expect(storageFault(failure), String(failure)).toBe('io');
        // Reads still work on a failing disk: search goes on with the index in use.
        expect(stillSearchedByFirstIndex(db, spaces.get(space.id)!, items[123]!)).toBe(true);

        disk.failWrites(false);
        await maintainQuantizedIndex(db, clock, { partitionAt: 1000 });
        const after = spaces.get(space.id)!;
        expect(indexProblems(db, after)).toEqual([]);
        expect(after.ivfGeneration).toBe(1);
        db.close();
        // Every write of the library and the build crosses a FUSE file system served by Python: 18 to 65 s
        // on a loaded 2-core machine in CI runs of the same code.
      }, 180_000);
    }
  });

  it('on a disk that fills up during the build: fails it as a full disk, keeps the old index, and builds once there is room', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-index-full-'));
    folders.push(dir);
    const disk = mountSmallDisk(dir, 64 * MB);
    if (!disk) return ctx.skip('mounting a small tmpfs needs root');
    try {
      const { db, clock, spaces, space, items } = indexedLibrary(dir);
      db.pragma('wal_checkpoint(TRUNCATE)');
      // Room for the library, not for a second copy of its vectors (18,000 x 256 bytes).
      disk.resize(disk.usedBytes() + 2 * MB);
      const failure = await rebuildQuantizedIndex(db, clock, space.id, { lists: 48 }).catch((error: unknown) => error);
      expect(storageFault(failure), String(failure)).toBe('full');
      const inUse = spaces.get(space.id)!;
      expect(stillSearchedByFirstIndex(db, inUse, items[321]!)).toBe(true);

      disk.resize(64 * MB);
      expect(await rebuildQuantizedIndex(db, clock, space.id, { lists: 48 })).toMatchObject({ lists: 48 });
      const after = spaces.get(space.id)!;
      expect(after.ivfGeneration).toBeGreaterThan(inUse.ivfGeneration);
      expect(indexProblems(db, after)).toEqual([]);
      db.close();
    } finally {
      disk.unmount();
    }
  }, 60_000);

  it('gives way when fast search is turned off during the build', async () => {
    const { db, clock, spaces, space } = indexedLibrary();
    const build = rebuildQuantizedIndex(db, clock, space.id, { lists: 48 });
    await until(() => indexTables(db, space).some((name) => name.endsWith('_rescore_g2')));
    spaces.setQuantized(space.id, false);
    expect(await build).toBeNull();
    expect(spaces.get(space.id)).toMatchObject({ quantized: false, ivfBuilding: null });
    expect(indexTables(db, space)).toEqual([]);
  }, 60_000);
});
