/**
 * Keyword search speed and faithfulness on one library: the exact FTS5 BM25
 * path against the default (planned) path, over the same queries, as the
 * SearchService would call them. Used by bench/keyword-speed.bench.ts; the
 * search-speed benchmark can call it on its own library.
 */
import type { Database } from 'better-sqlite3';
import { planKeywordQuery, type KeywordPlan } from '../../src/main/core/search/keyword-plan';
import { parseQuerySyntax } from '../../src/main/core/search/query-syntax';
import {
  keywordSearch,
  keywordSearchWithPlan,
  type KeywordSearchOptions,
} from '../../src/main/core/search/keyword-search';
import { systemClock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { SearchService } from '../../src/main/core/search/search.service';
import { mean, overlapAt, percentile } from './metrics';
import type { LatencyStats } from './timing';

export interface KeywordMeasurement {
  exact: LatencyStats;
  planned: LatencyStats;
  /** The planned search with the proximity pass the service adds (keyword-proximity.ts). */
  withProximity: LatencyStats;
  /** Mean share of the exact top 10 found in the planned top 10. */
  recall10: number;
  /** Mean share of the exact top 100 found in the planned top 100 (what fusion sees deeper down). */
  recall100: number;
  /** Queries whose planned top 10 is the exact top 10 in the same order. */
  sameOrder10: number;
  /** Queries the planner answered by its split plan rather than the exact query. */
  splitPlans: number;
  /** Queries where the split plan ran but could not prove its top hits, so the exact query ran too. */
  fallbacks: number;
  queries: number;
}

import { DEFAULT_TUNING } from '../../src/main/core/search/tuning';

/** The service's defaults: its keyword pool and column weights (the proximity pass is timed on its own). */
const SERVICE_DEFAULTS = {
  pool: DEFAULT_TUNING.keywordPool,
  titleWeight: DEFAULT_TUNING.titleWeight,
  headingWeight: DEFAULT_TUNING.headingWeight,
} as const;

/**
 * Times the exact and the planned keyword search over `queries` (typed as a
 * person would: the last word is a prefix) and compares their rankings.
 * `options` overrides the planner's knobs for the planned side.
 */
export function measureKeyword(
  db: Database,
  queries: readonly string[],
  options: Partial<KeywordSearchOptions> = {},
): KeywordMeasurement {
  const plans = queries
    .map((q) => planKeywordQuery(db, parseQuerySyntax(q)))
    .filter((p): p is KeywordPlan & { match: string } => p.match !== null);
  const matches = plans.map((p) => p.match);
  const exactOptions: KeywordSearchOptions = { ...SERVICE_DEFAULTS, plan: 'exact' };
  const plannedOptions: KeywordSearchOptions = {
    ...SERVICE_DEFAULTS,
    ...options,
    headingWeight: options.headingWeight ?? SERVICE_DEFAULTS.headingWeight,
    plan: options.plan ?? 'auto',
  };
  const [exact, planned, withProximity] = timeInTurn(plans, [
    (p) => keywordSearch(db, p.match, undefined, exactOptions),
    (p) => keywordSearch(db, p.match, undefined, plannedOptions),
    (p) =>
      keywordSearch(db, p.match, undefined, {
        ...plannedOptions,
        pairs: p.pairs,
        proximityWeight: DEFAULT_TUNING.proximityWeight,
      }),
  ]) as [LatencyStats, LatencyStats, LatencyStats];
  const r10: number[] = [];
  const r100: number[] = [];
  let sameOrder = 0;
  let split = 0;
  let fallbacks = 0;
  for (const m of matches) {
    const truth = keywordSearch(db, m, undefined, exactOptions).map((h) => h.chunkId);
    const { hits, plan } = keywordSearchWithPlan(db, m, undefined, plannedOptions);
    const got = hits.map((h) => h.chunkId);
    if (plan === 'split') split++;
    if (plan === 'fallback') fallbacks++;
    r10.push(overlapAt(got, truth, 10));
    r100.push(overlapAt(got, truth, 100));
    if (truth.slice(0, 10).every((id, i) => got[i] === id)) sameOrder++;
  }
  return {
    exact,
    planned,
    withProximity,
    recall10: mean(r10),
    recall100: mean(r100),
    sameOrder10: sameOrder,
    splitPlans: split,
    fallbacks,
    queries: matches.length,
  };
}

/** A document type the bench gives to a share of a library's documents, for `type:` filters. */
export const FILTER_TYPE = { narrow: 'application/x-bench-narrow', wide: 'application/x-bench-wide' } as const;

/**
 * Gives one document in a hundred the narrow type and one in five the wide
 * one (idempotent, so a kept library can be marked again), for
 * measureFiltered.
 */
export function markFilterTypes(db: Database): void {
  db.prepare(
    `UPDATE imported_documents SET mime_type = CASE WHEN rowid % 100 = 0 THEN ? WHEN rowid % 5 = 1 THEN ? ELSE mime_type END`,
  ).run(FILTER_TYPE.narrow, FILTER_TYPE.wide);
}

/**
 * The service's keyword search (planned, with proximity) with a `type:`
 * filter that keeps 1% of the documents and one that keeps 20%: a narrow
 * filter has the search read and check thousands of candidates before
 * enough pass. Call markFilterTypes first.
 */
export function measureFiltered(
  db: Database,
  queries: readonly string[],
): { narrow: LatencyStats; wide: LatencyStats } {
  const plans = queries
    .map((q) => planKeywordQuery(db, parseQuerySyntax(q)))
    .filter((p): p is KeywordPlan & { match: string } => p.match !== null);
  const options: KeywordSearchOptions = { ...SERVICE_DEFAULTS, proximityWeight: DEFAULT_TUNING.proximityWeight };
  const [narrow, wide] = timeInTurn(
    plans,
    [FILTER_TYPE.narrow, FILTER_TYPE.wide].map(
      (type) => (p: KeywordPlan & { match: string }) =>
        keywordSearch(db, p.match, { mimeTypes: [type] }, { ...options, pairs: p.pairs }),
    ),
  ) as [LatencyStats, LatencyStats];
  return { narrow, wide };
}

/**
 * Times every run of each query back to back (after 10 untimed warm-up
 * queries), so a shared machine's load swings hit all sides alike rather
 * than whichever ran last.
 */
function timeInTurn<T>(inputs: readonly T[], runs: ReadonlyArray<(input: T) => unknown>): LatencyStats[] {
  for (const input of inputs.slice(0, 10)) runs.forEach((run) => run(input));
  const times = runs.map((): number[] => []);
  inputs.forEach((input, i) => {
    // Rotate which side goes first, so none always finds the caches warmed by the others.
    for (let j = 0; j < runs.length; j++) {
      const which = (i + j) % runs.length;
      const started = performance.now();
      runs[which]!(input);
      times[which]!.push(performance.now() - started);
    }
  });
  return times.map((t) => ({ p50: percentile(t, 50), p95: percentile(t, 95), count: t.length }));
}

export interface PlanningMeasurement {
  /** Planning the queries as typed (vocabulary lookups for prefix and rare words). */
  asTyped: LatencyStats;
  /** Planning them with the first word misspelt (two letters swapped): the spelling help's cost. */
  misspelt: LatencyStats;
  /** Misspelt queries whose word was corrected back. */
  corrected: number;
  queries: number;
}

/**
 * The keyword plan's own cost (keyword-plan.ts: stems, row counts, spelling
 * help) before any ranking runs, on queries as typed and with a typo.
 */
export function measurePlanning(db: Database, queries: readonly string[]): PlanningMeasurement {
  const misspelt = queries.map((q) => {
    const [first = '', ...rest] = q.split(' ');
    const swapped = first.length >= 4 ? `${first.slice(0, 1)}${first[2]}${first[1]}${first.slice(3)}` : first;
    return { query: [swapped, ...rest].join(' '), word: first, typo: swapped };
  });
  const plan = (q: string) => planKeywordQuery(db, parseQuerySyntax(q));
  let corrected = 0;
  for (const m of misspelt) {
    if (m.typo !== m.word && plan(m.query).corrections.some((c) => c.correction === m.word)) corrected++;
  }
  const [asTyped, misspeltStats] = timeInTurn(
    queries.map((_, i) => i),
    [(i) => plan(queries[i]!), (i) => plan(misspelt[i]!.query)],
  ) as [LatencyStats, LatencyStats];
  return { asTyped, misspelt: misspeltStats, corrected, queries: queries.length };
}

export interface RepeatMeasurement {
  /** A keyword search through the service, 20 documents a page, as the Search screen asks for it. */
  first: LatencyStats;
  /** Its "Load more": the same search with the first page's cursor. */
  next: LatencyStats;
  /** The same search once more, as when a query is typed again or a mode switched back. */
  again: LatencyStats;
}

/**
 * The service's keyword search, its next page and the same search again,
 * each query in that order: the two later ones find its keyword list
 * remembered (search.service.ts), while the library stays as it was.
 */
export async function measureRepeats(db: Database, queries: readonly string[]): Promise<RepeatMeasurement> {
  const service = new SearchService({ db, clock: systemClock, getEmbedder: () => null, logger: silentLogger });
  const times = { first: [] as number[], next: [] as number[], again: [] as number[] };
  const timed = async (into: number[], request: Parameters<SearchService['search']>[0]) => {
    const started = performance.now();
    const response = await service.search(request);
    into.push(performance.now() - started);
    return response;
  };
  for (const query of queries) {
    const request = { query, mode: 'keyword' as const, limit: 20 };
    const page = await timed(times.first, request);
    if (page.nextCursor) await timed(times.next, { ...request, cursor: page.nextCursor });
    await timed(times.again, request);
  }
  const stats = (t: number[]): LatencyStats => ({ p50: percentile(t, 50), p95: percentile(t, 95), count: t.length });
  return { first: stats(times.first), next: stats(times.next), again: stats(times.again) };
}
