import {
  APIErrorCode,
  APIResponseError,
  Client,
  isFullBlock,
  isFullPage,
  LogLevel,
  type BlockObjectResponse,
  type PageObjectResponse,
} from '@notionhq/client';
import { AppError } from '../../../../shared/errors';
import type { Logger } from '../../logger';
import type { BlockNode } from './notion-markdown';

export const NOTION_UNAUTHORIZED_MESSAGE =
  'Notion rejected the integration token. Paste a new internal integration token in Connectors.';

/** Notion pages hold at most 100 items per list call. */
const PAGE_SIZE = 100;
/** Nesting deeper than this is not followed (Notion itself caps nesting far below). */
const MAX_DEPTH = 32;

export interface NotionApiOptions {
  token: string;
  baseUrl: string;
  /** A provider fetch: retries, Retry-After, the request-rate limit, stats, cancellation. */
  fetch: typeof fetch;
  logger: Logger;
  /** Called once when Notion answers 401 (token revoked or wrong). */
  onUnauthorized?: () => void;
}

/** A row in search results: a full page, or a data source (database) whose rows we may query. */
export type SearchItem = { kind: 'page'; page: PageObjectResponse } | { kind: 'data_source'; id: string };

/**
 * The Notion calls the connector makes, on the official client. The client's
 * own retry is switched off: retries, Retry-After and the ~3 req/s average
 * live in the provider fetch, where they are explicit and tested.
 */
export class NotionApi {
  private readonly client: Client;

  constructor(private readonly options: NotionApiOptions) {
    this.client = new Client({
      auth: options.token,
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      retry: false,
      // The provider fetch times out each attempt itself; the client's timeout would
      // also count rate-limit and Retry-After waits and abandon requests still running.
      timeoutMs: 30 * 60_000,
      logLevel: LogLevel.ERROR,
      // The client's logger may include response bodies; keep only the message.
      logger: (level, message) => {
        if (level === LogLevel.ERROR) options.logger.warn(`notion client: ${message}`);
      },
    });
  }

  async me(): Promise<{ name: string | null }> {
    const user = await this.call(() => this.client.users.me({}));
    return { name: 'name' in user ? (user.name ?? null) : null };
  }

  /** Everything shared with the integration, oldest edit first, one API page at a time. */
  async *search(): AsyncGenerator<SearchItem[], void, void> {
    let cursor: string | undefined;
    do {
      const response = await this.call(() =>
        this.client.search({
          // Ascending by edit time: a page edited during the listing moves to the end and
          // is seen again instead of shifting unseen pages past the cursor.
          sort: { timestamp: 'last_edited_time', direction: 'ascending' },
          start_cursor: cursor,
          page_size: PAGE_SIZE,
        }),
      );
      const items: SearchItem[] = [];
      for (const result of response.results) {
        if (result.object === 'page' && isFullPage(result)) items.push({ kind: 'page', page: result });
        else if (result.object === 'data_source') items.push({ kind: 'data_source', id: result.id });
      }
      yield items;
      cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
    } while (cursor);
  }

  /** Rows of one data source (database), one API page at a time. */
  async *queryDataSource(dataSourceId: string): AsyncGenerator<PageObjectResponse[], void, void> {
    let cursor: string | undefined;
    do {
      const response = await this.call(() =>
        this.client.dataSources.query({ data_source_id: dataSourceId, start_cursor: cursor, page_size: PAGE_SIZE }),
      );
      yield response.results.filter((r): r is PageObjectResponse => r.object === 'page' && isFullPage(r));
      cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
    } while (cursor);
  }

  /** The page, or null when it is gone or no longer shared with the integration. */
  async getPage(pageId: string): Promise<PageObjectResponse | null> {
    try {
      const page = await this.call(() => this.client.pages.retrieve({ page_id: pageId }));
      return isFullPage(page) ? page : null;
    } catch (error) {
      if (AppError.is(error, 'NOT_FOUND')) return null;
      throw error;
    }
  }

  /**
   * The whole block tree under a page: every children page (100 at a time)
   * and every nested level. Child pages and databases are not descended
   * into; they are documents of their own.
   */
  async blockTree(blockId: string, depth = 0): Promise<BlockNode[]> {
    const nodes: BlockNode[] = [];
    let cursor: string | undefined;
    do {
      const response = await this.call(() =>
        this.client.blocks.children.list({ block_id: blockId, start_cursor: cursor, page_size: PAGE_SIZE }),
      );
      for (const block of response.results) {
        if (isFullBlock(block)) nodes.push({ block, children: [] });
      }
      cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
    } while (cursor);
    if (depth < MAX_DEPTH) {
      for (const node of nodes) {
        if (node.block.has_children && descends(node.block))
          node.children = await this.blockTree(node.block.id, depth + 1);
      }
    }
    return nodes;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.toAppError(error);
    }
  }

  private toAppError(error: unknown): AppError {
    if (AppError.is(error)) return error;
    if (!APIResponseError.isAPIResponseError(error)) {
      return new AppError('UNAVAILABLE', 'Notion could not be reached. The sync will be retried later.', {
        cause: error,
      });
    }
    const details = { status: error.status, code: error.code, requestId: error.request_id };
    switch (error.code) {
      case APIErrorCode.Unauthorized:
        this.options.onUnauthorized?.();
        return new AppError('CONNECTOR_AUTH', NOTION_UNAUTHORIZED_MESSAGE, { details });
      case APIErrorCode.RestrictedResource:
        return new AppError(
          'CONNECTOR_AUTH',
          'The Notion integration lacks the "Read content" capability. Enable it in the integration settings.',
          { details },
        );
      case APIErrorCode.ObjectNotFound:
        return new AppError('NOT_FOUND', 'The Notion page is gone or no longer shared with the integration.', {
          details,
        });
      case APIErrorCode.RateLimited:
        return new AppError('RATE_LIMITED', 'Notion is limiting requests right now. The sync will be retried later.', {
          details,
        });
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.ServiceOverload:
      case APIErrorCode.GatewayTimeout:
        return new AppError('UNAVAILABLE', 'Notion is not answering properly. The sync will be retried later.', {
          details,
        });
      default:
        return new AppError('INTERNAL', `Notion rejected a request (${error.code}).`, { details });
    }
  }
}

function descends(block: BlockObjectResponse): boolean {
  return block.type !== 'child_page' && block.type !== 'child_database';
}
