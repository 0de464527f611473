/** Public surface of hybrid search: construct a SearchService and call `search`. */
export { SearchService, KEYWORD_ONLY_NOTICE, type SearchServiceDeps, type SearchTuning } from './search.service';
export type {
  SearchFilters,
  SearchGroup,
  SearchHitChunk,
  SearchHitDocument,
  SearchMode,
  SearchRequest,
  SearchResponse,
  SnippetSegment,
  SpellingCorrection,
  UnderstoodOperator,
} from './types';
