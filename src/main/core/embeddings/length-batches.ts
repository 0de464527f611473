/**
 * Splits texts into model runs with little padding. Every text in a run is
 * padded to the longest one, and padded positions cost as much compute as
 * real tokens: cutting the chunks of each document into runs of up to 32 in
 * order of length still padded a 10,000-file ingest to 1.76 times its real
 * token count, because a document's last chunk is short and chunk sizes vary.
 * Fewer texts per run means less padding but more runs, and each run has a
 * fixed cost. So, with the texts sorted by length, the split into runs is
 * chosen by dynamic programming to minimise
 *
 *   sum over runs of (RUN_COST_TOKENS + texts in run x longest text in run)
 *
 * RUN_COST_TOKENS prices a run's fixed cost in padded tokens. For the
 * 6-layer models Trove ships, a token costs far more than a run's overhead,
 * so a small value is right and the split comes out close to "no padding".
 * For the tiny test model (one lookup per token), 16 to 256 all measured
 * about the same: 5.4 to 6.1 s of CPU for the 76,370 chunks of the ingest
 * benchmark, against 7.7 to 7.9 s with one run per request.
 */
export const RUN_COST_TOKENS = 64;

/**
 * Most padded tokens (texts x longest) in one run, unless one text alone is
 * longer. The runtime keeps memory for the largest activations it has seen,
 * [texts, tokens, hidden] floats per tensor (32 x 512 x 384 is 25 MB), and
 * a longer run keeps a waiting query longer.
 */
export const MAX_RUN_TOKENS = 4096;

/**
 * Runs for texts of these token lengths: lists of indices into `lengths`,
 * each sorted by length, at most `maxPerRun` long and at most
 * `maxRunTokens` padded tokens (a text longer than that runs alone),
 * covering every index once.
 */
export function lengthBatches(
  lengths: readonly number[],
  maxPerRun: number,
  runCostTokens = RUN_COST_TOKENS,
  maxRunTokens = MAX_RUN_TOKENS,
): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const n = order.length;
  const limit = Math.max(1, Math.floor(maxPerRun));
  // best[j]: the cheapest cost for the first j sorted texts; cut[j]: where its last run starts.
  const best = new Float64Array(n + 1);
  const cut = new Int32Array(n + 1);
  for (let j = 1; j <= n; j++) {
    // A run of texts i..j-1 (sorted) is padded to the length of text j-1.
    const longest = lengths[order[j - 1]!]!;
    best[j] = Infinity;
    for (let i = Math.max(0, j - limit); i < j; i++) {
      if (j - i > 1 && (j - i) * longest > maxRunTokens) continue;
      const cost = best[i]! + runCostTokens + (j - i) * longest;
      if (cost < best[j]!) {
        best[j] = cost;
        cut[j] = i;
      }
    }
  }
  const runs: number[][] = [];
  for (let j = n; j > 0; j = cut[j]!) runs.push(order.slice(cut[j]!, j));
  return runs.reverse();
}
