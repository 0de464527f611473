/**
 * Ranking metrics over one query. `ranked` is the system's list (best
 * first); `gains` holds the judged documents' graded gains (> 0 = relevant).
 * nDCG uses linear gains and log2 discounts, as trec_eval's ndcg_cut does.
 */
export function ndcgAt<T>(ranked: readonly T[], gains: ReadonlyMap<T, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += (gains.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...gains.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Reciprocal rank of the first relevant document within the top k (0 if none). */
export function mrrAt<T>(ranked: readonly T[], gains: ReadonlyMap<T, number>, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (gains.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Share of the relevant documents found within the top k. */
export function recallAt<T>(ranked: readonly T[], gains: ReadonlyMap<T, number>, k: number): number {
  const relevant = [...gains.values()].filter((g) => g > 0).length;
  if (relevant === 0) return 0;
  return ranked.slice(0, k).filter((id) => (gains.get(id) ?? 0) > 0).length / relevant;
}

/** Overlap of two top-k lists: |approx ∩ exact| / |exact|. */
export function overlapAt<T>(approx: readonly T[], exact: readonly T[], k: number): number {
  const truth = new Set(exact.slice(0, k));
  if (truth.size === 0) return 1;
  return approx.slice(0, k).filter((id) => truth.has(id)).length / truth.size;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Nearest-rank percentile (p in 0..100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
