/**
 * Retrieval quality on the Cranfield 1400 collection (npm run bench:search-quality).
 *
 * Imports the 1,400 abstracts (title + body, one chunk each: they are short)
 * into a fresh temporary database, runs all 225 queries through the real
 * SearchService and prints nDCG@10, MRR@10 and Recall@100 for keyword mode
 * (at several title weights, so the tuning is visible), then semantic and
 * hybrid mode with the embedder `--model=tiny|standin|standin-12` (default
 * tiny), or a real downloaded model (TROVE_BENCH_MODEL_DIR, see
 * bench/lib/embedder.ts). The stand-ins have random weights: with them only
 * the latency column is printed (query embedding included), never scores.
 */
import { silentLogger } from '../src/main/core/logger';
import { systemClock } from '../src/main/core/clock';
import type { Embedder } from '../src/main/core/embeddings/types';
import { SearchService, type SearchTuning } from '../src/main/core/search/search.service';
import type { SearchMode } from '../src/main/core/search/types';
import { EmbeddingSpacesRepo } from '../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../src/main/core/store/vectors.repo';
import { loadCranfield } from './lib/cranfield';
import { benchArgs, modelArg } from './lib/args';
import { loadBenchEmbedder } from './lib/embedder';
import { mean, mrrAt, ndcgAt, recallAt } from './lib/metrics';
import { createBenchStore, type BenchStore } from './lib/store';

/** Keyword mode must reach this (a textbook BM25 + Porter run on Cranfield). */
const KEYWORD_NDCG_TARGET = 0.37;
const DEFAULT_TITLE_WEIGHT = 4;

interface Scores {
  ndcg10: number;
  mrr10: number;
  recall100: number;
  ms: number;
}

async function evaluate(
  store: BenchStore,
  mode: SearchMode,
  embedder: Embedder | null,
  tuning: SearchTuning,
): Promise<Scores & { modeUsed: string }> {
  const { documents: _d, queries, qrels } = collection;
  const service = new SearchService({
    db: store.db,
    clock: systemClock,
    getEmbedder: () => embedder,
    logger: silentLogger,
    tuning,
  });
  const ndcg: number[] = [];
  const mrr: number[] = [];
  const recall: number[] = [];
  let modeUsed = mode as string;
  const started = performance.now();
  for (const q of queries) {
    const response = await service.search({ query: q.text, mode, limit: 100 });
    modeUsed = response.mode;
    const ranked = response.groups.map((g) => Number(g.document.id.slice('cran-'.length)));
    const gains = qrels.get(q.position) ?? new Map<number, number>();
    ndcg.push(ndcgAt(ranked, gains, 10));
    mrr.push(mrrAt(ranked, gains, 10));
    recall.push(recallAt(ranked, gains, 100));
  }
  return {
    ndcg10: mean(ndcg),
    mrr10: mean(mrr),
    recall100: mean(recall),
    ms: (performance.now() - started) / queries.length,
    modeUsed,
  };
}

function row(label: string, s: Scores, withScores = true): string {
  const score = (x: number, width: number): string => (withScores ? x.toFixed(4) : '-').padStart(width);
  return `${label.padEnd(44)} ${score(s.ndcg10, 8)} ${score(s.mrr10, 8)} ${score(s.recall100, 10)} ${s.ms.toFixed(1).padStart(8)} ms/q`;
}

const collection = loadCranfield();

async function main(): Promise<void> {
  const { documents, queries, qrels } = collection;
  console.log(`Cranfield: ${documents.length} documents, ${queries.length} queries, ${qrels.size} judged queries`);
  const store = createBenchStore('trove-cranfield-');
  try {
    const chunkIds = store.addDocuments(
      documents.map((d) => ({
        id: `cran-${d.id}`,
        title: d.title || `Cranfield ${d.id}`,
        chunks: [d.body || d.title],
      })),
    );

    console.log(
      `\n${'run'.padEnd(44)} ${'nDCG@10'.padStart(8)} ${'MRR@10'.padStart(8)} ${'Recall@100'.padStart(10)} ${'latency'.padStart(8)}`,
    );
    let keywordDefault: Scores | undefined;
    for (const titleWeight of [1, 2, DEFAULT_TITLE_WEIGHT, 8]) {
      const s = await evaluate(store, 'keyword', null, { titleWeight });
      if (titleWeight === DEFAULT_TITLE_WEIGHT) keywordDefault = s;
      console.log(
        row(`keyword (title weight ${titleWeight}${titleWeight === DEFAULT_TITLE_WEIGHT ? ', default' : ''})`, s),
      );
    }

    const bench = await loadBenchEmbedder(modelArg(benchArgs(), 'tiny'));
    if (bench) {
      console.log(`\nembedder: ${bench.description}`);
      if (!bench.qualityFigures) console.log('scores not printed: the stand-in has random weights (latency only)');
      const started = performance.now();
      const spaces = new EmbeddingSpacesRepo(store.db, systemClock);
      const space = spaces.ensure(bench.embedder.space);
      spaces.setActive(space.id);
      const texts = documents.map((d) => `${d.title}\n${d.body}`);
      const vectors = await bench.embedder.embedDocuments(texts);
      new VectorsRepo(store.db).upsert(
        space,
        vectors.map((vector, i) => ({ chunkId: chunkIds[i]![0]!, vector })),
      );
      console.log(`embedded ${vectors.length} documents in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      for (const mode of ['semantic', 'hybrid'] as const) {
        const s = await evaluate(store, mode, bench.embedder, { titleWeight: DEFAULT_TITLE_WEIGHT });
        console.log(row(`${mode}${s.modeUsed !== mode ? ` (ran as ${s.modeUsed})` : ''}`, s, bench.qualityFigures));
      }
      await bench.close();
    } else {
      console.log('semantic: skipped (no embedder available)\nhybrid:   skipped (no embedder available)');
    }

    const ok = (keywordDefault?.ndcg10 ?? 0) >= KEYWORD_NDCG_TARGET;
    console.log(
      `\nkeyword nDCG@10 ${keywordDefault?.ndcg10.toFixed(4)} ${ok ? '>=' : '<'} target ${KEYWORD_NDCG_TARGET}: ${ok ? 'PASS' : 'FAIL'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    store.close();
  }
}

await main();
