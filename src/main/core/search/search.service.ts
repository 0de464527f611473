import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { ConnectorType } from '../connectors/types';
import { sql } from '../db/sql';
import { spaceKey, type Embedder } from '../embeddings/types';
import type { Logger } from '../logger';
import { EmbeddingSpacesRepo, type SpaceRow } from '../store/embedding-spaces.repo';
import { decodeCursor, encodeCursor, isAfter, searchFingerprint } from './cursor';
import { validateFilters } from './filters';
import { parseQuery, queryWords, toMatchExpression } from './fts-query';
import { fuseRankings, groupByDocument, type FusedChunk, type FusedGroup } from './fusion';
import { keywordSearch } from './keyword-search';
import { keywordSnippets } from './keyword-snippets';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { DEFAULT_WHOLE_LISTS, semanticSearch } from './semantic-search';
import { MeaningSnippets } from './meaning-snippets';
import { bestSentenceByWords, plainSnippet, splitSentences } from './sentence-snippets';
import type { RankedChunk, SearchGroup, SearchMode, SearchRequest, SearchResponse, SnippetSegment } from './types';

/** Tuning knobs; every one has a default chosen on the Cranfield and synthetic benchmarks. */
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
  /** BM25 weight of the title column (chunk text is 1). Default 4 (best on Cranfield; 2..8 are within 0.003 nDCG). */
  titleWeight?: number;
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

export interface SearchServiceDeps {
  db: Database;
  clock: Clock;
  /** The active space's embedder once its model is ready; null until then. */
  getEmbedder: () => Embedder | null;
  logger: Logger;
  tuning?: SearchTuning;
}

export const KEYWORD_ONLY_NOTICE = 'Only keyword search is available until an embedding model is ready.';
const SEMANTIC_FAILED_NOTICE = 'Search by meaning failed this time, so these are keyword results only.';
const MAX_LIMIT = 100;

interface DocRow {
  id: string;
  title: string;
  connectorId: string;
  connectorType: ConnectorType;
  mimeType: string | null;
  sourceUrl: string | null;
  modifiedAt: number | null;
}

interface ChunkRow {
  id: number;
  text: string;
  headingPath: string;
  page: number | null;
}

/**
 * Hybrid search over the local store (DESIGN.md section 7): FTS5 BM25 and
 * vec0 KNN fused by reciprocal rank, grouped by document, filtered, paged by
 * an opaque cursor, with highlighted snippets. Falls back to keyword search
 * (and says so) while no embedding model is ready.
 *
 * Ranking is computed over fixed-size candidate pools (`keywordPool`,
 * `semanticPool`), so every page of one search sees the same scores and the
 * cursor can neither repeat nor skip a document; the price is that paging
 * ends when the pools are used up (hundreds of chunks deep).
 */
export class SearchService {
  private readonly db: Database;
  private readonly spaces: EmbeddingSpacesRepo;
  private readonly cache: QueryEmbeddingCache;
  private readonly tuning: Required<SearchTuning>;
  private readonly logger: Logger;
  private readonly getEmbedder: () => Embedder | null;
  private readonly meaningSnippets: MeaningSnippets;

  constructor(deps: SearchServiceDeps) {
    this.db = deps.db;
    this.spaces = new EmbeddingSpacesRepo(deps.db, deps.clock);
    this.logger = deps.logger.child('search');
    this.meaningSnippets = new MeaningSnippets(this.logger);
    this.getEmbedder = deps.getEmbedder;
    this.tuning = {
      keywordPool: 300,
      semanticPool: 20,
      semanticModePool: 100,
      titleWeight: 4,
      quantizedOversample: 2,
      quantizedMinCandidates: 100,
      quantizedProbes: 0,
      quantizedWholeLists: DEFAULT_WHOLE_LISTS,
      quantizedPerListK: 0,
      useQuantized: true,
      maxChunksPerGroup: 4,
      queryCacheSize: 128,
      sentenceSnippets: 'embedding',
      ...deps.tuning,
    };
    this.cache = new QueryEmbeddingCache(this.tuning.queryCacheSize);
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const requested = request.mode ?? 'hybrid';
    const limit = request.limit ?? 10;
    if (typeof request.query !== 'string') throw new AppError('VALIDATION', 'The search query must be text.');
    if (!['hybrid', 'keyword', 'semantic'].includes(requested)) {
      throw new AppError('VALIDATION', `Unknown search mode "${String(requested)}": use hybrid, keyword or semantic.`);
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new AppError('VALIDATION', `The page size must be a whole number from 1 to ${MAX_LIMIT}.`);
    }
    validateFilters(request.filters);

    const query = request.query.trim();
    // Parse the raw input: a trailing space means the last word is finished (no prefix match).
    const parsed = parseQuery(request.query);
    const match = toMatchExpression(parsed);

    let mode: SearchMode = requested;
    let notice: string | undefined;
    let vector: Float32Array | undefined;
    let space: SpaceRow | undefined;
    let embedder: Embedder | null = null;
    if (requested !== 'keyword') {
      space = this.spaces.getActive();
      embedder = this.getEmbedder();
      if (!space || !embedder || spaceKey(embedder.space) !== space.spaceKey) {
        mode = 'keyword';
        notice = KEYWORD_ONLY_NOTICE;
        embedder = null;
      } else if (query.length > 0) {
        try {
          vector = await this.queryVector(embedder, space, query);
        } catch (error) {
          this.logger.warn('query embedding failed; falling back to keyword search', {
            code: AppError.is(error) ? error.code : 'INTERNAL',
          });
          mode = 'keyword';
          notice = SEMANTIC_FAILED_NOTICE;
          embedder = null;
        }
      }
    }

    const fingerprint = searchFingerprint([query, match, requested, mode, request.filters ?? {}]);
    const position = request.cursor ? decodeCursor(request.cursor, fingerprint) : undefined;
    const empty = (): SearchResponse => ({ mode, notice, groups: [], tookMs: performance.now() - started });
    if (query.length === 0 || (match === null && vector === undefined)) return empty();

    // All reads in one snapshot: keyword, vector and hydration see the same library.
    const read = this.db.transaction(() => {
      const keywordList: RankedChunk[] =
        match !== null && mode !== 'semantic'
          ? keywordSearch(this.db, match, request.filters, {
              pool: this.tuning.keywordPool,
              titleWeight: this.tuning.titleWeight,
            })
          : [];
      const semanticList: RankedChunk[] =
        vector && space && mode !== 'keyword'
          ? semanticSearch(this.db, space, vector, request.filters, {
              pool: mode === 'semantic' ? this.tuning.semanticModePool : this.tuning.semanticPool,
              oversample: this.tuning.quantizedOversample,
              minCandidates: this.tuning.quantizedMinCandidates,
              probes: this.tuning.quantizedProbes || undefined,
              wholeLists: this.tuning.quantizedWholeLists,
              perListK: this.tuning.quantizedPerListK || undefined,
              useQuantized: this.tuning.useQuantized,
            })
          : [];
      const groups = groupByDocument(fuseRankings(keywordList, semanticList));
      const after = position
        ? groups.filter((g) => isAfter({ score: g.score, documentId: g.documentId }, position))
        : groups;
      const page = after.slice(0, limit);
      const hasMore = after.length > limit;
      return { page, hasMore, ...this.hydrate(page, match) };
    });
    const { page, hasMore, docs, chunks, keywordSnips } = read();

    const groups = await this.buildGroups(page, docs, chunks, keywordSnips, parsed, vector, embedder);
    const last = page[page.length - 1];
    const nextCursor =
      hasMore && last ? encodeCursor(fingerprint, { score: last.score, documentId: last.documentId }) : undefined;
    const tookMs = performance.now() - started;
    this.logger.debug('search done', { mode, groups: groups.length, tookMs: Math.round(tookMs) });
    return { mode, notice, groups, nextCursor, tookMs };
  }

  private async queryVector(embedder: Embedder, space: SpaceRow, query: string): Promise<Float32Array> {
    const cached = this.cache.get(space.spaceKey, query);
    if (cached) return cached;
    const vector = await embedder.embedQuery(query);
    if (vector.length !== space.dimensions) {
      throw new AppError(
        'INTERNAL',
        `The embedder returned ${vector.length} dimensions; the active space has ${space.dimensions}.`,
      );
    }
    this.cache.set(space.spaceKey, query, vector);
    return vector;
  }

  private hydrate(page: FusedGroup[], match: string | null) {
    const shownChunks = page.flatMap((g) => g.chunks.slice(0, this.tuning.maxChunksPerGroup));
    const docQ = sql`SELECT d.id, d.title, d.connector_id AS connectorId, cc.type AS connectorType, d.mime_type AS mimeType,
        d.source_url AS sourceUrl, COALESCE(d.source_modified_at, d.updated_at) AS modifiedAt
      FROM imported_documents d JOIN connector_configs cc ON cc.id = d.connector_id
      WHERE d.id IN ${sql.list(page.map((g) => g.documentId))}`;
    const docs = new Map((this.db.prepare(docQ.text).all(...docQ.params) as DocRow[]).map((d) => [d.id, d]));
    const chunkQ = sql`SELECT id, chunk_text AS text, heading_path AS headingPath, page
      FROM imported_doc_chunks WHERE id IN ${sql.list(shownChunks.map((c) => c.chunkId))}`;
    const chunks = new Map((this.db.prepare(chunkQ.text).all(...chunkQ.params) as ChunkRow[]).map((c) => [c.id, c]));
    const keywordSources = shownChunks.flatMap((c) => {
      const chunk = c.keywordRank !== undefined ? chunks.get(c.chunkId) : undefined;
      return chunk ? [{ id: chunk.id, text: chunk.text }] : [];
    });
    const keywordSnips =
      match !== null ? keywordSnippets(this.db, match, keywordSources) : new Map<number, SnippetSegment[]>();
    return { docs, chunks, keywordSnips };
  }

  private async buildGroups(
    page: FusedGroup[],
    docs: Map<string, DocRow>,
    chunks: Map<number, ChunkRow>,
    keywordSnips: Map<number, SnippetSegment[]>,
    parsed: ReturnType<typeof parseQuery>,
    vector: Float32Array | undefined,
    embedder: Embedder | null,
  ): Promise<SearchGroup[]> {
    const words = queryWords(parsed);
    const needSentence: Array<{ chunk: FusedChunk; sentences: string[] }> = [];
    const snippets = new Map<number, SnippetSegment[]>();
    for (const group of page) {
      for (const chunk of group.chunks.slice(0, this.tuning.maxChunksPerGroup)) {
        const keyword = keywordSnips.get(chunk.chunkId);
        if (keyword) {
          snippets.set(chunk.chunkId, keyword);
          continue;
        }
        const sentences = splitSentences(chunks.get(chunk.chunkId)?.text ?? '');
        needSentence.push({ chunk, sentences });
        const lexical = bestSentenceByWords(sentences, words);
        snippets.set(chunk.chunkId, plainSnippet(lexical ?? ''));
      }
    }
    if (vector && embedder && this.tuning.sentenceSnippets === 'embedding') {
      const byMeaning = needSentence.filter((n) => n.chunk.keywordRank === undefined);
      await this.meaningSnippets.improve(
        byMeaning.map((n) => ({ chunkId: n.chunk.chunkId, sentences: n.sentences })),
        vector,
        embedder,
        snippets,
      );
    }

    const out: SearchGroup[] = [];
    for (const group of page) {
      const doc = docs.get(group.documentId);
      if (!doc) continue; // deleted between the read and now: cannot happen inside the snapshot, kept for safety
      out.push({
        document: { ...doc },
        score: group.score,
        chunks: group.chunks.slice(0, this.tuning.maxChunksPerGroup).map((c) => {
          const row = chunks.get(c.chunkId);
          return {
            chunkId: c.chunkId,
            headingPath: parseHeadingPath(row?.headingPath),
            page: row?.page ?? null,
            snippet: snippets.get(c.chunkId) ?? [],
            score: c.score,
          };
        }),
      });
    }
    return out;
  }
}

function parseHeadingPath(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
