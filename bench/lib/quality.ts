import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import type { Embedder } from '../../src/main/core/embeddings/types';
import { silentLogger } from '../../src/main/core/logger';
import { SearchService, type SearchTuning } from '../../src/main/core/search/search.service';
import type { SearchMode } from '../../src/main/core/search/types';
import { mean, mrrAt, ndcgAt, recallAt } from './metrics';

/**
 * Runs a collection's queries through the real SearchService and scores the
 * ranked documents. A judged query gives graded gains per document key
 * (the key a result maps to: a Cranfield number, a man page's name).
 */
export interface JudgedQuery {
  text: string;
  /** document key -> gain (> 0 relevant). */
  gains: ReadonlyMap<string, number>;
}

export interface QualityScores {
  ndcg10: number;
  mrr10: number;
  recall100: number;
  /** Share of queries with a relevant document in the top 5. */
  success5: number;
  /** Share of queries with a relevant document first. */
  success1: number;
  /** Mean milliseconds per query. */
  ms: number;
  /** The mode the service really ran (keyword when the embedder is missing). */
  modeUsed: string;
}

export async function evaluate(
  db: Database,
  queries: readonly JudgedQuery[],
  keyOf: (document: { id: string; title: string }) => string,
  options: { mode: SearchMode; embedder: Embedder | null; tuning?: SearchTuning },
): Promise<QualityScores> {
  const service = new SearchService({
    db,
    clock: systemClock,
    getEmbedder: () => options.embedder,
    logger: silentLogger,
    tuning: options.tuning,
  });
  const sheet = new ScoreSheet();
  let modeUsed: string = options.mode;
  for (const q of queries) {
    const response = await service.search({ query: q.text, mode: options.mode, limit: 100 });
    modeUsed = response.mode;
    // A result shows the names of the copies folded into it (near-duplicates.ts):
    // it answers the question when any of them does.
    sheet.add(
      response.groups.map((g) => mostRelevant([g.document, ...(g.copies ?? [])].map(keyOf), q.gains)),
      q.gains,
    );
  }
  return sheet.scores(modeUsed);
}

function mostRelevant(keys: readonly string[], gains: ReadonlyMap<string, number>): string {
  return keys.reduce((best, key) => ((gains.get(key) ?? 0) > (gains.get(best) ?? 0) ? key : best), keys[0]!);
}

/** Collects one ranking per judged query and averages the measures. */
export class ScoreSheet {
  private readonly ndcg: number[] = [];
  private readonly mrr: number[] = [];
  private readonly recall: number[] = [];
  private readonly success: number[] = [];
  private readonly first: number[] = [];
  private readonly started = performance.now();

  add(ranked: readonly string[], gains: ReadonlyMap<string, number>): void {
    this.ndcg.push(ndcgAt(ranked, gains, 10));
    this.mrr.push(mrrAt(ranked, gains, 10));
    this.recall.push(recallAt(ranked, gains, 100));
    this.success.push(mrrAt(ranked, gains, 5) > 0 ? 1 : 0);
    this.first.push(mrrAt(ranked, gains, 1));
  }

  scores(modeUsed: string): QualityScores {
    return {
      ndcg10: mean(this.ndcg),
      mrr10: mean(this.mrr),
      recall100: mean(this.recall),
      success5: mean(this.success),
      success1: mean(this.first),
      ms: (performance.now() - this.started) / Math.max(1, this.ndcg.length),
      modeUsed,
    };
  }
}

/**
 * The keyword runs that show how sensitive the figures are to each ranking
 * knob: the defaults, then one knob moved at a time.
 */
export const SENSITIVITY: ReadonlyArray<{ label: string; tuning: SearchTuning }> = [
  { label: 'title weight 1 (textbook: title as text)', tuning: { titleWeight: 1 } },
  { label: 'title weight 2', tuning: { titleWeight: 2 } },
  { label: 'title weight 3', tuning: { titleWeight: 3 } },
  { label: 'title weight 6', tuning: { titleWeight: 6 } },
  { label: 'function words dropped from 1 content word', tuning: { functionWordsAt: 1 } },
  { label: 'function words dropped from 4 content words', tuning: { functionWordsAt: 4 } },
  { label: 'function words never dropped', tuning: { functionWordsAt: Infinity } },
  { label: 'word-pair proximity off', tuning: { proximityWeight: 0 } },
  { label: 'word-pair proximity 0.3', tuning: { proximityWeight: 0.3 } },
  { label: 'contents and indexes not discounted', tuning: { navigationWeight: 1 } },
  { label: 'copies not folded into one result', tuning: { nearDuplicateResemblance: 2 } },
  { label: 'only equal sketches folded', tuning: { nearDuplicateResemblance: 1 } },
];

export const pad = (label: string, width = 52): string => label.padEnd(width);
export const num = (value: number, width = 8): string => value.toFixed(4).padStart(width);
