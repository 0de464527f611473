import { MIN_CONTENT_WORDS } from './keyword-plan';
import { NEAR_DUPLICATE_RESEMBLANCE } from './near-duplicates';
import { DEFAULT_WHOLE_LISTS } from './semantic-search';

/**
 * Tuning knobs of search. The ranking ones were chosen on two collections
 * with judged queries (Cranfield, and known-item questions over man pages),
 * taking the middle of the range where both score well rather than either
 * one's peak; `npm run bench:search-quality` prints how the figures move
 * with each (see src/main/core/search/README.md).
 */
export interface SearchTuning {
  /** Chunks taken from the keyword list before fusion. Default 300. */
  keywordPool?: number;
  /**
   * Chunks taken from the vector list before fusion in hybrid mode. Default
   * 20: RRF gives deep vector ranks little weight, and sqlite-vec's KNN cost
   * grows with k (see bench/search-speed.bench.ts).
   */
  semanticPool?: number;
  /** Chunks taken from the vector list in semantic-only mode (it is the only list, so deeper). Default 100. */
  semanticModePool?: number;
  /**
   * BM25 weight of the title column (chunk text is 1): a title word counts
   * as this many words of text. Default 4, the middle of 3-5, where all
   * three collections score at or above their figure at 3: Cranfield and
   * the man pages gain a little with every step, Cranfield cut into chunks
   * (titles from the files' first lines) peaks at 3.5-4 and falls below by
   * 6; a higher weight bets that every library's titles are as telling as
   * these collections' (search/README.md has the figures).
   */
  titleWeight?: number;
  /**
   * BM25 weight of the heading-path column. Default 2: a heading says what a
   * section is about, like a title for the document, but a path is longer
   * and less specific, and the nearest heading is in the chunk's text
   * already. Only the man pages have headings (NAME, OPTIONS...), which no
   * question uses: 0.5 to 3 change nothing there, so it is not tuned.
   */
  headingWeight?: number;
  /**
   * Weight of adjacent query-word pairs found as phrases in a chunk, against
   * the words' own BM25 (keyword-proximity.ts). Default 0.15, the middle of
   * the range 0.1-0.25 where Cranfield, Cranfield cut into chunks and the
   * man pages all score above no proximity; from 0.3 Cranfield falls below it.
   * 0 turns it off.
   */
  proximityWeight?: number;
  /**
   * Multiplier of the keyword score of a chunk that is mostly links (a table
   * of contents, an index: navigation-chunks.ts). Default 0.5: a link list
   * names the answer instead of giving it, so it counts half. 1 turns it off.
   */
  navigationWeight?: number;
  /**
   * Resemblance of two documents' texts (shared five-word shingles) from
   * which they are shown as one result, the other listed as a copy. Default
   * NEAR_DUPLICATE_RESEMBLANCE (0.9, near-duplicates.ts); 1 folds only texts
   * whose sketches are equal; above 1 never folds.
   */
  nearDuplicateResemblance?: number;
  /**
   * Content words (not function words) a query needs before its function
   * words are dropped. Default 3: a question that long is about its content
   * words; in a shorter one the function words may be the point ("how long
   * has it been up"). 1 drops them whenever one content word remains (the
   * textbook list use); Infinity never drops them.
   */
  functionWordsAt?: number;
  /**
   * Bit-table candidates per wanted vector hit in quantised spaces. Default 2:
   * with `quantizedMinCandidates` 100 the top 10 keeps recall >= 0.99 on the
   * clustered benchmark, and sqlite-vec's KNN time grows with k. With IVF
   * lists this is only a floor on the candidates taken from the cut lists.
   */
  quantizedOversample?: number;
  /** Fewest bit-table candidates rescored in quantised spaces. Default 100. */
  quantizedMinCandidates?: number;
  /**
   * IVF lists probed per query in quantised spaces with lists. Default 0:
   * scale with the list count (`defaultProbes`: a tenth of the lists, 8 to 32).
   */
  quantizedProbes?: number;
  /**
   * Probed IVF lists, nearest first, whose every vector is rescored. Default
   * 1: the nearest list holds most of the top 10 (93% at 1M on the
   * benchmark) and sign bits cannot order its members; a second costs ~5 ms
   * at 1M for +0.005 recall@10.
   */
  quantizedWholeLists?: number;
  /**
   * Bit vectors taken from each other probed IVF list, all rescored. Default
   * 0: `defaultPerListK()` (32).
   */
  quantizedPerListK?: number;
  /** Use the quantised first pass when the active space has one. Default true. */
  useQuantized?: boolean;
  /** Chunks listed per document. Default 4. */
  maxChunksPerGroup?: number;
  /** Query vectors kept in the LRU cache. Default 128. */
  queryCacheSize?: number;
  /**
   * How the snippet of a semantic-only hit is chosen: 'embedding' takes the
   * sentence closest in meaning to the query where its sentences' vectors
   * are known, and asks for the rest without waiting (meaning-snippets.ts);
   * 'lexical' takes the sentence sharing most query words. Default 'embedding'.
   */
  sentenceSnippets?: 'embedding' | 'lexical';
}

export const DEFAULT_TUNING: Required<SearchTuning> = {
  keywordPool: 300,
  semanticPool: 20,
  semanticModePool: 100,
  titleWeight: 4,
  headingWeight: 2,
  proximityWeight: 0.15,
  navigationWeight: 0.5,
  nearDuplicateResemblance: NEAR_DUPLICATE_RESEMBLANCE,
  functionWordsAt: MIN_CONTENT_WORDS,
  quantizedOversample: 2,
  quantizedMinCandidates: 100,
  quantizedProbes: 0,
  quantizedWholeLists: DEFAULT_WHOLE_LISTS,
  quantizedPerListK: 0,
  useQuantized: true,
  maxChunksPerGroup: 4,
  queryCacheSize: 128,
  sentenceSnippets: 'embedding',
};
