import type { Database } from 'better-sqlite3';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { libraryVersion } from '../db/library-version';
import { spaceKey, type Embedder } from '../embeddings/types';
import type { Logger } from '../logger';
import { EmbeddingSpacesRepo, type SpaceRow } from '../store/embedding-spaces.repo';
import { constraintsOf, documentsExcluded, meetingRequired } from './constraints';
import { decodeCursor, encodeCursor, isAfter, searchFingerprint, type CursorPosition } from './cursor';
import { validateFilters } from './filters';
import { quote } from './fts-query';
import { documentsDeclaring } from './declarations';
import { documentsWritingWords, symbolWordsTyped } from './symbol-words';
import { documentsNamed, exactNamesFirst } from './exact-names';
import { TERM_POOL, withDefinitions } from './glossary-entries';
import { fuseRankings, groupByDocument, type FusedGroup } from './fusion';
import { foldNearDuplicates } from './near-duplicates';
import { chunkContext, type ContextResult } from './chunk-context';
import { planKeywordQuery, type KeywordPlan } from './keyword-plan';
import { keywordSearch } from './keyword-search';
import { LibraryMemo } from './library-memo';
import { resolveOperators, type SourceRef } from './query-operators';
import { RecentlyUsed } from './recently-used';
import { hasPositiveTerms, parseQuerySyntax, type QuerySyntax, type RawOperator } from './query-syntax';
import { recentDocuments } from './recent-documents';
import { ResultBuilder } from './result-builder';
import { distinctiveTerms, documentVector, similarSource } from './more-like-this';
import { firstPassK, MAX_KNN_K, semanticSearch } from './semantic-search';
import { indexKey } from './vector-scan-protocol';
import type { ThreadScan, VectorScanThread } from './vector-scan-thread';
import { correctedQuery } from './spelling';
import { DEFAULT_TUNING, type SearchTuning } from './tuning';
import type {
  RankedChunk,
  SearchFilters,
  SearchMode,
  SearchRequest,
  SearchResponse,
  SimilarRequest,
  SimilarResponse,
} from './types';

export type { SearchTuning } from './tuning';

export interface SearchServiceDeps {
  db: Database;
  clock: Clock;
  /** The active space's embedder once its model is ready; null until then. */
  getEmbedder: () => Embedder | null;
  logger: Logger;
  tuning?: SearchTuning;
  /**
   * Where a search's first pass by meaning runs, beside a hybrid search's
   * keyword search (a library file); without it, both run here, one after
   * the other.
   */
  vectorScan?: Pick<VectorScanThread, 'tryScan'>;
}

export const KEYWORD_ONLY_NOTICE = 'Only keyword search is available until an embedding model is ready.';
export const SEMANTIC_FAILED_NOTICE = 'Search by meaning failed this time, so these are keyword results only.';
export const SIMILAR_BY_TERMS_NOTICE =
  'Similar by shared distinctive words; once an embedding model is ready, similar documents are found by meaning.';
const MAX_LIMIT = 100;
/**
 * Keyword lists remembered per service (~30 KB each at the default pool of
 * 300 chunks): enough for the searches of a query being typed and refined.
 */
const KEYWORD_LISTS_REMEMBERED = 64;

/** One search's parsed query, ready to run. */
interface PreparedQuery {
  syntax: QuerySyntax;
  filters: SearchFilters | undefined;
  plan: KeywordPlan | null;
  /** The words to embed: the query without its operators (phrases and title words kept). */
  semanticText: string;
  /** The operators and the request's filters exclude each other. */
  contradictory: boolean;
  response: Pick<SearchResponse, 'operators' | 'suggestion' | 'fuzzy'>;
}

/**
 * Hybrid search over the local store (search/README.md): FTS5 BM25 and
 * vec0 KNN fused by reciprocal rank, grouped by document, filtered, paged by
 * an opaque cursor, with highlighted snippets. Falls back to keyword search
 * (and says so) while no embedding model is ready. The query's operators
 * (query-syntax.ts) become filters and FTS5 syntax; a query with only
 * filters lists the matching documents, newest first.
 *
 * Ranking is computed over fixed-size candidate pools (`keywordPool`,
 * `semanticPool`), so every page of one search sees the same scores and the
 * cursor can neither repeat nor skip a document; the price is that paging
 * ends when the pools are used up (hundreds of chunks deep).
 */
export class SearchService {
  private readonly db: Database;
  private readonly spaces: EmbeddingSpacesRepo;
  private readonly cache: RecentlyUsed<Float32Array>;
  private readonly tuning: Required<SearchTuning>;
  private readonly logger: Logger;
  private readonly getEmbedder: () => Embedder | null;
  private readonly results: ResultBuilder;
  private readonly vectorScan: SearchServiceDeps['vectorScan'];
  /**
   * The keyword lists of recent searches, while the library stays as it was
   * (library-memo.ts). "Load more", a search switched to another mode and a
   * query typed again run the same keyword search, and on a large library its
   * BM25 over common words is most of a search's time: 0.1-0.6 s at 339,000
   * chunks. One memo per service, since its tuning shapes the lists.
   */
  private readonly keywordLists = new LibraryMemo<string, readonly RankedChunk[]>(KEYWORD_LISTS_REMEMBERED);

  constructor(deps: SearchServiceDeps) {
    this.db = deps.db;
    this.vectorScan = deps.vectorScan;
    this.spaces = new EmbeddingSpacesRepo(deps.db, deps.clock);
    this.logger = deps.logger.child('search');
    this.getEmbedder = deps.getEmbedder;
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.cache = new RecentlyUsed<Float32Array>(this.tuning.queryCacheSize);
    this.results = new ResultBuilder(this.db, this.logger, this.tuning);
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
    const query = this.prepare(request);
    const positive = hasPositiveTerms(query.syntax);

    let mode: SearchMode = requested;
    let notice: string | undefined;
    let vector: Float32Array | undefined;
    let space: SpaceRow | undefined;
    let embedder: Embedder | null = null;
    let embedding: Promise<{ vector: Float32Array } | { error: unknown }> | undefined;
    let scan: Promise<ThreadScan | undefined> | undefined;
    const semanticPool = requested === 'semantic' ? this.tuning.semanticModePool : this.tuning.semanticPool;
    const semanticOptions = { ...this.semanticOptions(), pool: semanticPool };
    const firstK = firstPassK(semanticPool, query.filters);
    if (requested !== 'keyword') {
      space = this.spaces.getActive();
      embedder = this.getEmbedder();
      if (!space || !embedder || spaceKey(embedder.space) !== space.spaceKey) {
        mode = 'keyword';
        notice = KEYWORD_ONLY_NOTICE;
        embedder = null;
      } else if (positive && query.semanticText.length > 0 && !query.contradictory) {
        // The first pass by meaning runs on the search thread, which gets the query's vector straight from
        // where it is computed (the model's thread) and scans while this thread searches by keyword.
        const channel = this.vectorScan && !this.db.inTransaction ? new MessageChannel() : undefined;
        const scanning = channel && this.vectorScan?.tryScan(space.id, channel.port2, firstK, semanticOptions);
        if (channel && !scanning) channel.port1.close();
        // Handled here: if the keyword search throws, a pass failing later is no unhandled rejection.
        scan = scanning?.catch((error: unknown) => {
          this.logger.debug('search thread pass failed; scanning here', { error: String(error) });
          return undefined;
        });
        embedding = this.queryVector(embedder, space, query.semanticText, scanning ? channel?.port1 : undefined).then(
          (v) => ({ vector: v }),
          (error: unknown) => ({ error }),
        );
      }
    }
    // A hybrid search's keyword side runs meanwhile, in a snapshot of its own whose stamp says whether the
    // library changed before the reads below.
    const early =
      embedding && mode === 'hybrid' && query.plan?.match && !this.db.inTransaction
        ? this.stampedKeywordList(query)
        : undefined;
    const embedded = await embedding;
    if (embedded && 'error' in embedded) {
      this.logger.warn('query embedding failed; falling back to keyword search', {
        code: AppError.is(embedded.error) ? embedded.error.code : 'INTERNAL',
      });
      mode = 'keyword';
      notice = SEMANTIC_FAILED_NOTICE;
      embedder = null;
    } else {
      vector = embedded?.vector;
    }

    const fingerprint = searchFingerprint([request.query, query.plan?.match, requested, mode, query.filters ?? {}]);
    const position = request.cursor ? decodeCursor(request.cursor, fingerprint) : undefined;
    const respond = (groups: SearchResponse['groups'], next?: CursorPosition): SearchResponse => {
      const tookMs = performance.now() - started;
      this.logger.debug('search done', { mode, groups: groups.length, tookMs: Math.round(tookMs) });
      return {
        mode,
        notice,
        ...query.response,
        groups,
        nextCursor: next ? encodeCursor(fingerprint, next) : undefined,
        tookMs,
      };
    };
    const constraints = constraintsOf(query.syntax);
    const listsDocuments = !positive && (query.filters !== undefined || constraints.excluded !== null);
    if (query.contradictory || (!listsDocuments && query.plan?.match == null && vector === undefined)) {
      return respond([]);
    }

    const scanned = await scan;

    // All reads in one snapshot: keyword, vector and hydration see the same library.
    // eslint-disable-next-line no-restricted-syntax -- reads only (temp tables aside): one snapshot, no write lock
    const read = this.db.transaction(() => {
      const version = early ? libraryVersion(this.db) : undefined;
      let page: FusedGroup[];
      let hasMore: boolean;
      if (!positive) {
        ({ groups: page, hasMore } = recentDocuments(this.db, query.filters, {
          limit,
          after: position,
          isExcluded: (ids) => documentsExcluded(this.db, ids, constraints.excluded),
        }));
      } else {
        const keywordList: readonly RankedChunk[] =
          mode === 'semantic' ? [] : early && early.version === version ? early.list : this.keywordList(query);
        let semanticList: RankedChunk[] = [];
        if (vector && space && mode !== 'keyword') {
          const index = this.indexInSnapshot(space);
          const firstPass = scanned?.index === indexKey(index) ? { k: firstK, found: scanned.found } : undefined;
          semanticList = meetingRequired(
            this.db,
            semanticSearch(this.db, index, vector, query.filters, semanticOptions, firstPass),
            constraints.required,
          );
        }
        const fused = groupByDocument(fuseRankings(keywordList, semanticList));
        // A definition question's term is searched by keyword too (glossary-entries.ts): not in semantic mode.
        const definitions =
          mode === 'semantic'
            ? { found: fused, defining: new Set<string>() }
            : withDefinitions(this.db, fused, query.semanticText, (match) => this.termGroups(match, query.filters));
        const found = definitions.found;
        const named = documentsNamed(this.db, found, query.semanticText);
        const declaring = documentsDeclaring(this.db, found, query.semanticText);
        const writing = documentsWritingWords(this.db, found, symbolWordsTyped(query.semanticText));
        const excluded = documentsExcluded(
          this.db,
          found.map((g) => g.documentId),
          constraints.excluded,
        );
        const groups = foldNearDuplicates(
          this.db,
          // Named as typed first, then where a typed identifier, option or asked term is defined, then where an
          // identifier is only assigned, then where the words typed with their symbols (C++) are written so, then the rest.
          exactNamesFirst(
            exactNamesFirst(
              exactNamesFirst(exactNamesFirst(found, writing), declaring.assigning),
              new Set([...declaring.defining, ...definitions.defining]),
            ),
            named,
          ).filter((g) => !excluded.has(g.documentId)),
          { threshold: this.tuning.nearDuplicateResemblance, standing: named },
        );
        const after = position ? groups.filter((g) => isAfter(g, position)) : groups;
        page = after.slice(0, limit);
        hasMore = after.length > limit;
      }
      return { page, hasMore, rows: this.results.read(page, query.plan?.highlight ?? null) };
    });
    const { page, hasMore, rows } = read();

    const groups = await this.results.groups(page, rows, query.plan?.words ?? [], vector, embedder);
    const last = page[page.length - 1];
    return respond(groups, hasMore && last ? { score: last.score, documentId: last.documentId } : undefined);
  }

  /** Parses the query, turns its operators into filters and plans its keyword side. */
  private prepare(request: SearchRequest): PreparedQuery {
    const syntax = parseQuerySyntax(request.query);
    const resolved = resolveOperators(syntax.operators, request.filters, this.sources());
    const plan = hasPositiveTerms(syntax) ? planKeywordQuery(this.db, syntax, this.tuning.functionWordsAt) : null;
    const corrections = plan?.corrections ?? [];
    const pair = (c: { word: string; correction: string }) => ({ word: c.word, correction: c.correction });
    return {
      syntax,
      filters: resolved.filters,
      plan,
      semanticText: freeText(request.query, syntax.operators),
      contradictory: resolved.contradictory,
      response: {
        operators: resolved.operators,
        suggestion:
          corrections.length > 0
            ? { query: correctedQuery(request.query, corrections), corrections: corrections.map(pair) }
            : undefined,
        fuzzy: plan && plan.fuzzy.length > 0 ? plan.fuzzy.map(pair) : undefined,
      },
    };
  }

  /** A result's chunk with its neighbours for the preview, the query's words highlighted (chunk-context.ts). */
  context(request: { chunkId: number; around: number; query?: string }): ContextResult {
    let highlight: string | null = null;
    if (request.query?.trim()) {
      const syntax = parseQuerySyntax(request.query);
      if (hasPositiveTerms(syntax))
        highlight = planKeywordQuery(this.db, syntax, this.tuning.functionWordsAt).highlight;
    }
    return chunkContext(this.db, { chunkId: request.chunkId, around: request.around, highlight });
  }

  /**
   * Documents like `request.documentId`: by meaning when the active space's
   * model is ready and the document is embedded, else by its distinctive
   * words (more-like-this.ts).
   */
  async similar(request: SimilarRequest): Promise<SimilarResponse> {
    const started = performance.now();
    const limit = request.limit ?? 10;
    if (typeof request.documentId !== 'string' || request.documentId.length === 0) {
      throw new AppError('VALIDATION', 'Say which document to find similar ones for (its id).');
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new AppError('VALIDATION', `The number of documents must be a whole number from 1 to ${MAX_LIMIT}.`);
    }
    validateFilters(request.filters);
    const source = similarSource(this.db, request.documentId);
    const space = this.spaces.getActive();
    const active = this.getEmbedder();
    const embedder = space && active && spaceKey(active.space) === space.spaceKey ? active : null;

    // eslint-disable-next-line no-restricted-syntax -- reads only (temp tables aside): one snapshot, no write lock
    const read = this.db.transaction(() => {
      const vector = embedder && space ? documentVector(this.db, space, source.documentId) : null;
      const terms = vector ? [] : distinctiveTerms(this.db, source.documentId).map((t) => t.word);
      const match = terms.length > 0 ? terms.map(quote).join(' OR ') : null;
      let list: RankedChunk[] = [];
      if (vector && space) {
        // The document's own chunks are the nearest to its mean: ask for enough to get past them.
        const own = this.db
          .prepare(`SELECT count(*) FROM imported_doc_chunks WHERE imported_document_id = ?`)
          .pluck()
          .get(source.documentId) as number;
        list = semanticSearch(this.db, this.indexInSnapshot(space), vector, request.filters, {
          ...this.semanticOptions(),
          pool: Math.min(MAX_KNN_K, own + this.tuning.semanticModePool),
        });
      } else if (match) {
        list = keywordSearch(this.db, match, request.filters, this.keywordOptions());
      }
      const others = list.filter((h) => h.documentId !== source.documentId).map((h, i) => ({ ...h, rank: i + 1 }));
      const page = foldNearDuplicates(this.db, groupByDocument(fuseRankings(others, [])), {
        threshold: this.tuning.nearDuplicateResemblance,
        copiesOf: source.documentId,
      }).slice(0, limit);
      return { vector, terms, page, rows: this.results.read(page, match) };
    });
    const { vector, terms, page, rows } = read();
    const groups = await this.results.groups(page, rows, terms, vector ?? undefined, vector ? embedder : null);
    return {
      basis: vector ? 'vectors' : 'terms',
      terms,
      notice: vector ? undefined : SIMILAR_BY_TERMS_NOTICE,
      groups,
      tookMs: performance.now() - started,
    };
  }

  /** The query's keyword side: its chunks, best first (none without keyword terms). */
  private keywordList(query: PreparedQuery): readonly RankedChunk[] {
    if (!query.plan?.match) return [];
    const { match, pairs } = query.plan;
    return this.rememberedList(['query', match, pairs, query.filters ?? null], () =>
      keywordSearch(this.db, match, query.filters, {
        ...this.keywordOptions(),
        pairs,
        proximityWeight: this.tuning.proximityWeight,
      }),
    );
  }

  /** `search()`'s list, or the one it gave for the same key while the library has not changed since. */
  private rememberedList(key: unknown[], search: () => readonly RankedChunk[]): readonly RankedChunk[] {
    const id = JSON.stringify(key);
    const found = this.keywordLists.lookup(this.db, [id], () => new Map([[id, search()]]));
    return found.get(id)!;
  }

  /**
   * The keyword side in a snapshot of its own, with its stamp (db/library-version.ts):
   * it stands for a later snapshot's keyword side if that one's stamp is the same.
   */
  private stampedKeywordList(query: PreparedQuery): { version: string; list: readonly RankedChunk[] } {
    // eslint-disable-next-line no-restricted-syntax -- reads only: the stamp and the keyword search in one snapshot
    return this.db.transaction(() => ({ version: libraryVersion(this.db), list: this.keywordList(query) }))();
  }

  /** The documents a keyword search for a definition question's term alone finds, with its own pool. */
  private termGroups(match: string, filters: SearchFilters | undefined): FusedGroup[] {
    const hits = this.rememberedList(['term', match, filters ?? null], () =>
      keywordSearch(this.db, match, filters, { ...this.keywordOptions(), pool: TERM_POOL }),
    );
    return groupByDocument(fuseRankings(hits, []));
  }

  private keywordOptions() {
    return {
      pool: this.tuning.keywordPool,
      titleWeight: this.tuning.titleWeight,
      headingWeight: this.tuning.headingWeight,
      navigationWeight: this.tuning.navigationWeight,
    };
  }

  private semanticOptions() {
    return {
      oversample: this.tuning.quantizedOversample,
      minCandidates: this.tuning.quantizedMinCandidates,
      probes: this.tuning.quantizedProbes || undefined,
      wholeLists: this.tuning.quantizedWholeLists,
      perListK: this.tuning.quantizedPerListK || undefined,
      useQuantized: this.tuning.useQuantized,
    };
  }

  private sources(): SourceRef[] {
    return this.db.prepare(`SELECT id, name, type FROM connector_configs ORDER BY name, id`).all() as SourceRef[];
  }

  /**
   * The space as the read snapshot sees it. A fast-search index build
   * (store/ivf-rebuild.ts, in a worker thread or another process) may have
   * switched to a new generation of tables, and dropped the old ones, since
   * `space` was read: while the query was embedded, say.
   */
  private indexInSnapshot(space: SpaceRow): SpaceRow {
    return this.spaces.get(space.id) ?? space;
  }

  /**
   * The query's vector, remembered for repeated queries. `copyTo` (a search
   * thread's pass waiting for it) gets the vector as soon as it exists: from
   * the embedder's own thread when it can post there (`embedQueryTo`), else
   * from here; it is closed either way, without a vector if none came.
   */
  private async queryVector(
    embedder: Embedder,
    space: SpaceRow,
    text: string,
    copyTo?: MessagePort,
  ): Promise<Float32Array> {
    try {
      const cached = this.cache.get(space.spaceKey, text);
      const vector =
        cached ??
        (copyTo && embedder.embedQueryTo ? await embedder.embedQueryTo(text, copyTo) : await embedder.embedQuery(text));
      if (vector.length !== space.dimensions) {
        throw new AppError(
          'INTERNAL',
          `The embedder returned ${vector.length} dimensions; the active space has ${space.dimensions}.`,
        );
      }
      // A port the embedder took is no longer this thread's: posting to it and closing it do nothing.
      copyTo?.postMessage(vector);
      this.cache.set(space.spaceKey, text, vector);
      return vector;
    } finally {
      copyTo?.close();
    }
  }
}

/**
 * The query as a sentence for the embedding model: operators removed, except
 * that phrases and title words keep their words (without quotes).
 */
export function freeText(input: string, operators: readonly RawOperator[]): string {
  let out = '';
  let from = 0;
  for (const op of operators) {
    const at = input.indexOf(op.text, from);
    if (at < 0) continue;
    const kept = (op.kind === 'phrase' || op.kind === 'title') && !op.negated ? op.value : '';
    out += `${input.slice(from, at)} ${kept} `;
    from = at + op.text.length;
  }
  out += input.slice(from);
  return out.replace(/"/g, ' ').replace(/\s+/g, ' ').trim();
}
