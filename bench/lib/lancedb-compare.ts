import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { overlapAt, mean } from './metrics';
import { timeQueries, type LatencyStats } from './timing';

export interface LanceResult {
  buildMs: number;
  indexMs: number;
  flat: LatencyStats & { recall10: number };
  ivfPq: LatencyStats & { recall10: number; nprobes: number; refineFactor: number };
}

/**
 * Rows as plain objects through LanceDB's own makeArrowTable: an Arrow table
 * built here with apache-arrow's makeData arrived empty (0 rows) in this
 * LanceDB version, and building from rows is what its documentation shows.
 */
function batchTable(ids: Int32Array, vectors: Float32Array, dims: number) {
  const rows = Array.from(ids, (id, i) => ({ id, vector: Array.from(vectors.subarray(i * dims, (i + 1) * dims)) }));
  return lancedb.makeArrowTable(rows);
}

/**
 * The same vectors and queries in LanceDB: a flat scan (bypassing any index)
 * and an IVF-PQ index, each timed warm over the queries and scored against
 * the exact top 10 (`truth`, by row id).
 */
export async function runLanceDb(input: {
  /** Row ids (our chunk ids), one per vector. */
  ids: Int32Array;
  vectors: Float32Array;
  dims: number;
  queries: Float32Array[];
  truth: number[][];
  log: (line: string) => void;
}): Promise<LanceResult> {
  const { ids, vectors, dims, queries, truth, log } = input;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trove-lance-'));
  try {
    const db = await lancedb.connect(dir);
    const batch = 20_000;
    let started = performance.now();
    let table: lancedb.Table | undefined;
    for (let i = 0; i < ids.length; i += batch) {
      const end = Math.min(ids.length, i + batch);
      const data = batchTable(ids.subarray(i, end), vectors.subarray(i * dims, end * dims), dims);
      if (!table) table = await db.createTable('chunks', data);
      else await table.add(data);
    }
    if (!table) throw new Error('no vectors');
    const buildMs = performance.now() - started;

    const search = async (
      q: Float32Array,
      indexed: { nprobes: number; refineFactor: number } | null,
    ): Promise<number[]> => {
      let query = table!.vectorSearch(Array.from(q)).distanceType('cosine').limit(10).select(['id', '_distance']);
      query = indexed ? query.nprobes(indexed.nprobes).refineFactor(indexed.refineFactor) : query.bypassVectorIndex();
      const rows = (await query.toArray()) as Array<{ id: number }>;
      return rows.map((r) => r.id);
    };
    // Sequential on purpose: concurrent flat scans each materialise the whole
    // vector column, and 200 of them at once need tens of GB. Recall is taken
    // from the timed runs themselves (over the queries that have exact ground
    // truth), so slow flat scans are not run twice.
    const timedWithRecall = async (
      qs: readonly Float32Array[],
      indexed: { nprobes: number; refineFactor: number } | null,
    ) => {
      const results: number[][] = [];
      const stats = await timeQueries([...qs.keys()], async (i) => {
        results[i] = await search(qs[i]!, indexed);
      });
      const overlaps = truth.slice(0, qs.length).map((t, i) => overlapAt(results[i]!, t, 10));
      return { ...stats, recall10: mean(overlaps) };
    };

    // The flat scan gets the queries our exact KNN answered (fewer at large sizes).
    const flat = await timedWithRecall(queries.slice(0, truth.length), null);
    log(
      `  lancedb flat (${flat.count} queries): p50 ${flat.p50.toFixed(1)} ms, p95 ${flat.p95.toFixed(1)} ms, recall@10 ${flat.recall10.toFixed(3)}`,
    );

    started = performance.now();
    const numPartitions = Math.max(16, Math.round(Math.sqrt(ids.length)));
    await table.createIndex('vector', {
      config: lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors: dims / 8 }),
      // Passed explicitly: left undefined, this version's native binding treats it as false and refuses.
      train: true,
    });
    const indexMs = performance.now() - started;
    const params = { nprobes: 20, refineFactor: 5 };
    const ivfPq = { ...(await timedWithRecall(queries, params)), ...params };
    log(
      `  lancedb IVF-PQ (${numPartitions} partitions, ${dims / 8} sub-vectors, nprobes ${params.nprobes}, refine ${params.refineFactor}): ` +
        `index ${(indexMs / 1000).toFixed(1)} s, p50 ${ivfPq.p50.toFixed(1)} ms, p95 ${ivfPq.p95.toFixed(1)} ms, recall@10 ${ivfPq.recall10.toFixed(3)}`,
    );
    // Its latency at higher recall, so the comparison can be made at equal quality too.
    for (const more of [
      { nprobes: 50, refineFactor: 10 },
      { nprobes: 100, refineFactor: 20 },
    ]) {
      const r = await timedWithRecall(queries, more);
      log(
        `  lancedb IVF-PQ nprobes ${more.nprobes}, refine ${more.refineFactor}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, recall@10 ${r.recall10.toFixed(3)}`,
      );
    }
    return { buildMs, indexMs, flat, ivfPq };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
