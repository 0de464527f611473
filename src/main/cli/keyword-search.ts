import { AppError } from '../../shared/errors';
import { openLibrary } from '../core/read-only/library';
import type { SearchRequest, SearchResponse } from '../core/search/types';
import { createCliLogger } from './context';

/**
 * `trove search --mode keyword` without the core: the library opened
 * read-only with only the search service, not the queue, connectors,
 * watchers and model code a full core loads (about half the command's time
 * on a 10,000-chunk library; see bench/cli.bench.ts). Null when the library
 * cannot be read that way (none yet, or a schema to upgrade): the caller
 * then opens the core, which creates or migrates it, as before.
 */
export async function keywordSearchReadOnly(
  dataDir: string,
  request: SearchRequest,
  verbose: boolean,
): Promise<SearchResponse | null> {
  let library;
  try {
    library = openLibrary({ dataDir, logger: createCliLogger(verbose ? 'debug' : 'warn') });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'CONFLICT')) return null;
    throw error;
  }
  try {
    return await library.search.search({ ...request, mode: 'keyword' });
  } finally {
    await library.close();
  }
}
