import type { Database } from 'better-sqlite3';
import { sql, type SqlQuery } from '../db/sql';
import { crashPoint } from '../crash-points';
import { ListAssigner, nearestLists, trainCodebook } from '../search/ivf-kmeans';

/**
 * The inverted-file (IVF) layout of a quantised space's bit table: every
 * vector sits in the list of its nearest centroid (`list` is a vec0
 * partition key), so a query scans only the few lists nearest to it instead
 * of the whole table. sqlite-vec's KNN cost grows with rows scanned times k,
 * so this is what keeps the first pass fast at a million chunks.
 */

/** Below this many vectors one list (a plain brute-force scan) is as fast as probing, so none are trained. */
export const IVF_MIN_VECTORS = 50_000;
/** Rebuild once the library would get at least this many times the lists it has (4x the vectors for sqrt sizing). */
export const IVF_REBUILD_FACTOR = 2;
/** Training sample per list: enough for stable centroids, small enough that training stays a few seconds. */
const SAMPLE_PER_LIST = 32;
/** k-means passes per level. */
const KMEANS_ITERATIONS = 6;
/** Vectors read, assigned and written per step of the build. */
const BUILD_PAGE = 4096;
/**
 * Rows per write step of a build in steps (store/ivf-rebuild.ts): a few
 * tens of milliseconds of the write lock each on a 2-core laptop (float
 * copies of 1.5 KB at 384 dims; bit rows of 48 bytes), so the app's own
 * writes wait that long at most.
 */
const COPY_ROWS = 2048;
const BITS_ROWS = 8192;

/** How many lists an index over `vectors` vectors gets: 1 below `minVectors`, else ~sqrt(vectors). */
export function planLists(vectors: number, minVectors = IVF_MIN_VECTORS): number {
  return vectors < minVectors ? 1 : Math.round(Math.sqrt(vectors));
}

/** True when an index trained into `lists` lists is too coarse for `vectors` vectors and should be rebuilt. */
export function ivfOutgrown(lists: number, vectors: number, minVectors = IVF_MIN_VECTORS): boolean {
  const planned = planLists(vectors, minVectors);
  return planned > 1 && planned >= lists * IVF_REBUILD_FACTOR;
}

/** The tables of one quantised space (names from EmbeddingSpacesRepo). */
export interface IvfTables {
  dimensions: number;
  /** vec0 float table: the source of truth. */
  vectorTable: string;
  /** vec0 `(list integer partition key, embedding bit[dims])`. */
  bitsTable: string;
  /** Plain chunk_id -> float blob copy for rescoring. */
  rescoreTable: string;
  /** Plain list -> unit centroid blob; empty when the index has one list. */
  centroidsTable: string;
}

export interface IvfBuildReport {
  vectors: number;
  /** Lists actually trained (1 = unpartitioned). */
  lists: number;
  /** Vectors the centroids were trained on. */
  sample: number;
  /** Copying the float vectors into the plain rescoring table. */
  copyMs: number;
  /** k-means on the sample. */
  trainMs: number;
  /** Putting every vector in its list (JavaScript, Hamming shortlist + exact check) and packing its sign bits. */
  assignMs: number;
  /** Writing the bit table (in list order) and the centroids. */
  writeMs: number;
}

/**
 * vec0 rows per chunk for lists of ~`perList` vectors. A chunk belongs to
 * one list, and sqlite-vec's KNN work per chunk is chunk size x k whatever
 * its fill, so the default 1024 would scan mostly empty slots in lists of a
 * few hundred; about half a list per chunk keeps the waste small without
 * many tiny chunks (each costs a few blob reads).
 */
function chunkSizeFor(perList: number): number {
  return Math.max(64, Math.min(1024, 8 * Math.round(perList / 16)));
}

function run(db: Database, query: SqlQuery): void {
  db.prepare(query.text).run(...query.params);
}

function blob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** Copies a stored float blob into `out` at component `offset` (one memcpy; works whatever the blob's alignment). */
function readFloats(source: Buffer, out: Float32Array, offset: number): void {
  new Uint8Array(out.buffer, out.byteOffset + offset * 4, source.byteLength).set(source);
}

export interface IvfBuildOptions {
  /** Overrides `planLists` (tests, benchmarks). */
  lists?: number;
  /**
   * Runs one bounded piece of the build's writing. Default: inline, inside
   * the caller's transaction; a build in steps gives each its own.
   */
  write?: <T>(fn: () => T) => T;
  /**
   * Opens a read of the float vectors, `[chunk id, blob]` in chunk id order,
   * from another connection's snapshot, for a build in steps (called when
   * the copy begins, and read to its end or closed by the copy's loop).
   * Default: copied from the float table by one statement on `db`.
   */
  floats?: () => Iterable<[number, Buffer]>;
  /** Told after each piece of work (store/ivf-build-progress.ts words it for people). */
  progress?: (progress: IvfBuildProgress) => void;
  /** How many vectors the copy expects (the float table's count when the build began), for `progress`. */
  expectedVectors?: number;
}

/** How far a build is: its stage, and how much of it is done, out of `total` when that is known. */
export interface IvfBuildProgress {
  stage: 'copy' | 'train' | 'assign' | 'write' | 'switch';
  done: number;
  total: number | null;
}

/**
 * Creates the rescoring, centroid and bit tables of a space from its float
 * vectors (the tables must not exist) and trains the lists. Writes through
 * `options.write` (default: inside the caller's transaction).
 */
export function buildIvfTables(db: Database, t: IvfTables, options: IvfBuildOptions = {}): IvfBuildReport {
  const write = options.write ?? (<T>(fn: () => T): T => fn());
  const progress = options.progress ?? ((): void => {});
  const dims = t.dimensions;
  const bits = sql.ident(t.bitsTable);
  const rescore = sql.ident(t.rescoreTable);
  const centroids = sql.ident(t.centroidsTable);
  let started = performance.now();
  write(() => {
    run(db, sql`CREATE TABLE ${rescore} (chunk_id INTEGER PRIMARY KEY, embedding BLOB NOT NULL) STRICT`);
    run(db, sql`CREATE TABLE ${centroids} (list INTEGER PRIMARY KEY, embedding BLOB NOT NULL) STRICT`);
  });
  if (options.floats) {
    const expected = options.expectedVectors ?? null;
    copyInSteps(db, t, options.floats(), write, (done) => progress({ stage: 'copy', done, total: expected }));
  } else {
    // Sorted although vec0 cannot scan by rowid (SQLite sorts 1.5 GB of
    // blobs at 1M): filling the B-tree in key order took 25 s at 1M, vec0's
    // scan order 108 s.
    run(
      db,
      sql`INSERT INTO ${rescore}(chunk_id, embedding) SELECT rowid, embedding FROM ${sql.ident(t.vectorTable)} ORDER BY rowid`,
    );
  }
  const idsQ = sql`SELECT chunk_id FROM ${rescore} ORDER BY chunk_id`;
  const ids = db.prepare(idsQ.text).pluck().all() as number[];
  const vectors = ids.length;
  const lists = Math.max(1, Math.min(options.lists ?? planLists(vectors), vectors));
  write(() =>
    run(
      db,
      sql`CREATE VIRTUAL TABLE ${bits} USING vec0(list integer partition key, embedding bit[${sql.raw(String(dims))}],
        chunk_size=${sql.raw(String(chunkSizeFor(vectors / lists)))})`,
    ),
  );
  const copyMs = performance.now() - started;
  if (lists === 1) {
    started = performance.now();
    const fill = db.prepare(
      sql`INSERT INTO ${bits}(rowid, list, embedding)
        SELECT chunk_id, 0, vec_quantize_binary(embedding) FROM ${rescore} WHERE chunk_id BETWEEN ? AND ?`.text,
    );
    for (let i = 0; i < vectors; i += BITS_ROWS) {
      write(() => fill.run(ids[i]!, ids[Math.min(vectors, i + BITS_ROWS) - 1]!));
      crashPoint('index.listed');
      progress({ stage: 'write', done: Math.min(vectors, i + BITS_ROWS), total: vectors });
    }
    return { vectors, lists: 1, sample: 0, copyMs, trainMs: 0, assignMs: 0, writeMs: performance.now() - started };
  }

  // Train on an even stride through the ids: deterministic, and spread over the whole library.
  started = performance.now();
  const sampleSize = Math.min(vectors, lists * SAMPLE_PER_LIST);
  const sample = new Float32Array(sampleSize * dims);
  const one = db.prepare(sql`SELECT embedding FROM ${rescore} WHERE chunk_id = ?`.text).pluck();
  for (let i = 0; i < sampleSize; i++) {
    readFloats(one.get(ids[Math.floor((i * vectors) / sampleSize)]!) as Buffer, sample, i * dims);
  }
  progress({ stage: 'train', done: 0, total: lists });
  const codebook = trainCodebook(sample, dims, lists, { iterations: KMEANS_ITERATIONS });
  const trainMs = performance.now() - started;

  // Assign every vector and keep its sign bits (48 bytes at 384 dims), so
  // the floats are read once and the bit table can be written list by list.
  started = performance.now();
  const assigner = new ListAssigner(codebook);
  const words = Math.ceil(dims / 32);
  const sketches = new Int32Array(vectors * words);
  const listOf = new Int32Array(vectors);
  const page = db.prepare(
    sql`SELECT embedding FROM ${rescore} WHERE chunk_id > ? ORDER BY chunk_id LIMIT ${sql.raw(String(BUILD_PAGE))}`
      .text,
  );
  const floats = new Float32Array(BUILD_PAGE * dims);
  for (let done = 0; done < vectors;) {
    const rows = page.pluck().all(done === 0 ? Number.MIN_SAFE_INTEGER : ids[done - 1]!) as Buffer[];
    if (rows.length === 0) break;
    rows.forEach((embedding, i) => readFloats(embedding, floats, i * dims));
    for (let i = 0; i < rows.length; i++) {
      listOf[done + i] = assigner.assign(floats, i * dims, sketches, (done + i) * words);
    }
    done += rows.length;
    progress({ stage: 'assign', done, total: vectors });
  }
  const assignMs = performance.now() - started;

  // Written list by list: vec0 appends to a list's last chunk, so in id order
  // every insert touches a different chunk's blobs (128 s at 1M), in list
  // order consecutive inserts share one.
  started = performance.now();
  const putCentroid = db.prepare(sql`INSERT INTO ${centroids}(list, embedding) VALUES (?, ?)`.text);
  write(() => {
    for (let l = 0; l < codebook.lists; l++) {
      putCentroid.run(l + 1, blob(codebook.centroids.subarray(l * dims, (l + 1) * dims)));
    }
  });
  const insert = db.prepare(sql`INSERT INTO ${bits}(rowid, list, embedding) VALUES (?, ?, vec_bit(?))`.text);
  // vec_quantize_binary's layout: bit j of byte b is component 8b + j > 0,
  // which is bit 8(b % 4) + j of sign word b / 4. Bound blobs are copied, so one buffer serves every row.
  const row = Buffer.alloc(dims / 8);
  const order = orderByList(listOf, codebook.lists);
  for (let from = 0; from < order.length; from += BITS_ROWS) {
    write(() => {
      for (const i of order.subarray(from, from + BITS_ROWS)) {
        for (let b = 0; b < row.length; b++) row[b] = (sketches[i * words + (b >> 2)]! >>> ((b & 3) * 8)) & 0xff;
        insert.run(BigInt(ids[i]!), BigInt(listOf[i]!), row);
      }
    });
    crashPoint('index.listed');
    progress({ stage: 'write', done: Math.min(order.length, from + BITS_ROWS), total: vectors });
  }
  const writeMs = performance.now() - started;
  return { vectors, lists: codebook.lists, sample: sampleSize, copyMs, trainMs, assignMs, writeMs };
}

/** Copies `floats` into the rescoring table, `COPY_ROWS` to a write step. */
function copyInSteps(
  db: Database,
  t: IvfTables,
  floats: Iterable<[number, Buffer]>,
  write: <T>(fn: () => T) => T,
  copied: (rows: number) => void,
): void {
  const insert = db.prepare(sql`INSERT INTO ${sql.ident(t.rescoreTable)}(chunk_id, embedding) VALUES (?, ?)`.text);
  let batch: Array<[number, Buffer]> = [];
  let rows = 0;
  const flush = (): void => {
    write(() => {
      for (const [chunkId, embedding] of batch) insert.run(chunkId, embedding);
    });
    rows += batch.length;
    batch = [];
    crashPoint('index.copied');
    copied(rows);
  };
  for (const row of floats) {
    batch.push(row);
    if (batch.length === COPY_ROWS) flush();
  }
  if (batch.length > 0) flush();
}

/**
 * Brings a built generation's tables up to date with the float table for
 * the given chunks, whose vectors were written or deleted while it was being
 * built: each is copied, with its sign bits in its nearest list, or removed.
 * Runs inside the caller's transaction.
 */
export function applyVectorChanges(db: Database, t: IvfTables, chunkIds: readonly number[]): void {
  const dims = t.dimensions;
  const centroids = readCentroids(db, t.centroidsTable, dims);
  const current = db.prepare(sql`SELECT embedding FROM ${sql.ident(t.vectorTable)} WHERE rowid = ?`.text).pluck();
  const dropBits = db.prepare(sql`DELETE FROM ${sql.ident(t.bitsTable)} WHERE rowid = ?`.text);
  const dropFloats = db.prepare(sql`DELETE FROM ${sql.ident(t.rescoreTable)} WHERE chunk_id = ?`.text);
  const putBits = db.prepare(
    sql`INSERT INTO ${sql.ident(t.bitsTable)}(rowid, list, embedding) VALUES (?, ?, vec_quantize_binary(?))`.text,
  );
  const putFloats = db.prepare(sql`INSERT INTO ${sql.ident(t.rescoreTable)}(chunk_id, embedding) VALUES (?, ?)`.text);
  const vector = new Float32Array(dims);
  for (const chunkId of chunkIds) {
    const rowid = BigInt(chunkId);
    dropBits.run(rowid);
    dropFloats.run(chunkId);
    const embedding = current.get(rowid) as Buffer | undefined;
    if (!embedding) continue;
    readFloats(embedding, vector, 0);
    putFloats.run(chunkId, embedding);
    putBits.run(rowid, BigInt(listFor(centroids, dims, vector)), embedding);
  }
}

/** Row indexes grouped by list (1..lists), ascending within a list: a counting sort. */
function orderByList(listOf: Int32Array, lists: number): Int32Array {
  const start = new Int32Array(lists + 2);
  for (const l of listOf) start[l + 1]!++;
  for (let l = 1; l < start.length; l++) start[l]! += start[l - 1]!;
  const order = new Int32Array(listOf.length);
  listOf.forEach((l, i) => {
    order[start[l]!++] = i;
  });
  return order;
}

/** The centroids of one space, cached per connection and index version (a rebuild bumps the version). */
const centroidCache = new WeakMap<Database, Map<string, { version: number; centroids: Float32Array }>>();

/**
 * The unit centroids of a space's lists (`lists x dims`, list id = row + 1).
 * Read once per index version and connection: ~1.5 MB at 1000 lists.
 */
export function loadCentroids(db: Database, table: string, dims: number, version: number): Float32Array {
  let perDb = centroidCache.get(db);
  if (!perDb) centroidCache.set(db, (perDb = new Map()));
  const cached = perDb.get(table);
  if (cached && cached.version === version) return cached.centroids;
  const centroids = readCentroids(db, table, dims);
  perDb.set(table, { version, centroids });
  return centroids;
}

function readCentroids(db: Database, table: string, dims: number): Float32Array {
  const q = sql`SELECT embedding FROM ${sql.ident(table)} ORDER BY list`;
  const rows = db.prepare(q.text).pluck().all() as Buffer[];
  const centroids = new Float32Array(rows.length * dims);
  rows.forEach((row, i) => readFloats(row, centroids, i * dims));
  return centroids;
}

/** The list a new or changed vector belongs in: its nearest centroid (exact), or 0 when the index has one list. */
export function listFor(centroids: Float32Array, dims: number, vector: Float32Array): number {
  return centroids.length === 0 ? 0 : nearestLists(centroids, dims, vector, 1)[0]!;
}
