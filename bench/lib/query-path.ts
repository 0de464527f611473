import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import type { EmbedOptions, Embedder, EmbeddingSpace } from '../../src/main/core/embeddings/types';
import { silentLogger } from '../../src/main/core/logger';
import { SearchService } from '../../src/main/core/search/search.service';
import type { SearchMode } from '../../src/main/core/search/types';
import type { OpenedBenchEmbedder } from './bench-model';
import { normalizeInPlace, seededRandom } from './synthetic';
import { formatLatency, timeQueries } from './timing';

/**
 * Hands back the precomputed vector of each benchmark query (a synthetic
 * library's vectors are synthetic, so a model's vectors would find nothing);
 * sentence vectors (search asks for a few sentences of the hits found by
 * meaning, to pick snippets, without waiting for them) are cheap seeded
 * noise. With `queryModel`, the query and the sentences are first embedded by
 * that model and its vectors discarded, so a search pays what it costs with
 * that model.
 */
export class PrecomputedEmbedder implements Embedder {
  readonly dimensions: number;
  constructor(
    readonly space: EmbeddingSpace,
    private readonly byText: Map<string, Float32Array>,
    private readonly queryModel?: Embedder,
  ) {
    this.dimensions = space.dimensions;
  }
  async embedQuery(text: string): Promise<Float32Array> {
    const v = this.byText.get(text);
    if (!v) throw new Error('unknown benchmark query');
    await this.queryModel?.embedQuery(text);
    return v;
  }
  async embedDocuments(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    await this.queryModel?.embedDocuments(texts, options);
    return texts.map((t) => {
      const random = seededRandom([...t].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
      const v = Float32Array.from({ length: this.dimensions }, () => random() - 0.5);
      normalizeInPlace(v);
      return v;
    });
  }
}

export interface QueryPathOptions {
  db: Database;
  space: EmbeddingSpace;
  queryTexts: string[];
  byText: Map<string, Float32Array>;
  model: OpenedBenchEmbedder;
  log: (line: string) => void;
}

/**
 * The query path a person waits for: the query embedded by `model` through
 * Trove's embedder (as the app does), alone, then semantic and hybrid search
 * end to end with the model's cost paid for the query (the query-vector
 * cache off; the snippet sentences a search asks for run in the background,
 * after the next query). Prints p50/p95 with the model's name.
 */
export async function measureQueryPath(options: QueryPathOptions): Promise<void> {
  const { model, queryTexts, log } = options;
  const withModel = new PrecomputedEmbedder(options.space, options.byText, model.embedder);
  const service = new SearchService({
    db: options.db,
    clock: systemClock,
    getEmbedder: () => withModel,
    logger: silentLogger,
    // Every timed query pays for its embedding, as a new search does (the warm-up would fill the cache).
    tuning: { queryCacheSize: 0 },
  });
  const run = (mode: SearchMode) => (q: string) => service.search({ query: q, mode, limit: 10 });
  const embedding = await timeQueries(queryTexts, (q) => model.embedder.embedQuery(q));
  const semantic = await timeQueries(queryTexts, run('semantic'));
  const hybrid = await timeQueries(queryTexts, run('hybrid'));
  log(`  query path with ${model.model.description}:`);
  log(`    query embedding alone                        ${formatLatency(embedding)}`);
  log(`    semantic end to end (embedding + search)     ${formatLatency(semantic)}`);
  log(`    hybrid end to end (embedding + search)       ${formatLatency(hybrid)}`);
}
