import { AppError } from '../../../../shared/errors';
import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../logger';
import { secretAccounts } from '../../secrets/secret-store';
import { createProviderFetch, type RetryPolicy } from '../http/provider-fetch';
import { RateLimiter } from '../http/rate-limiter';
import { parseConnectorSettings } from '../registry';
import type {
  Connector,
  ConnectorContext,
  ConnectorFactory,
  SyncBatch,
  SyncOptions,
  SyncResult,
  SyncStats,
  WebhookAction,
  WebhookEvent,
} from '../types';
import { NotionApi, NOTION_UNAUTHORIZED_MESSAGE } from './notion-api';
import { notionSync } from './notion-sync';
import { notionWebhookActions } from './notion-webhooks';
import { DEFAULT_NOTION_API_BASE_URL, notionSettingsSchema, type NotionSettings } from './settings';

/** Notion allows an average of three requests per second per integration. */
export const NOTION_REQUESTS_PER_SECOND = 3;

export interface NotionConnectorOptions {
  /** Average request rate. Default 3 per second, bursts of 3. */
  requestsPerSecond?: number;
  /** Backoff for 429 (Retry-After wins) and 5xx. Defaults: 6 retries from 500 ms. */
  retry?: RetryPolicy;
}

/** Builds the factory; `notionConnectorFactory` is the production instance. */
export function createNotionConnectorFactory(factoryOptions: NotionConnectorOptions = {}): ConnectorFactory {
  return (ctx) => new NotionConnector(ctx, factoryOptions);
}

export const notionConnectorFactory: ConnectorFactory = createNotionConnectorFactory();

export function parseNotionSettings(settings: unknown): NotionSettings {
  return parseConnectorSettings('notion', notionSettingsSchema, settings ?? {});
}

class NotionConnector implements Connector {
  readonly type = 'notion' as const;
  readonly supportsWebhooks = true;
  private readonly settings: NotionSettings;
  /** Shared by every run of this connector, so overlapping calls still respect the average. */
  private readonly limiter: RateLimiter;

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly factoryOptions: NotionConnectorOptions,
  ) {
    this.settings = parseNotionSettings(ctx.config.settings);
    const requestsPerSecond = factoryOptions.requestsPerSecond ?? NOTION_REQUESTS_PER_SECOND;
    this.limiter = new RateLimiter({ requestsPerSecond, burst: 3, clock: ctx.clock });
  }

  async testConnection(signal?: AbortSignal): Promise<void> {
    await (await this.api(signal)).me();
  }

  async *sync(options: SyncOptions): AsyncGenerator<SyncBatch, SyncResult, void> {
    const api = await this.api(options.signal, options.stats);
    return yield* notionSync({ api, settings: this.settings, options });
  }

  async handleWebhook(event: WebhookEvent): Promise<WebhookAction[]> {
    return notionWebhookActions(event);
  }

  private async api(signal?: AbortSignal, stats?: SyncStats): Promise<NotionApi> {
    const token = await this.ctx.secrets.get(secretAccounts.connectorToken(this.ctx.config.id));
    if (!token) throw new AppError('CONNECTOR_AUTH', 'No Notion integration token is saved. Paste one in Connectors.');
    return new NotionApi({
      token,
      baseUrl: this.settings.apiBaseUrl,
      logger: this.ctx.logger,
      onUnauthorized: () => this.ctx.setStatus?.('disconnected', NOTION_UNAUTHORIZED_MESSAGE),
      fetch: createProviderFetch({
        ...this.factoryOptions.retry,
        fetch: this.ctx.fetch,
        clock: this.ctx.clock,
        signal,
        stats,
        rateLimiter: this.limiter,
        logger: this.ctx.logger,
      }),
    });
  }
}

export interface TestNotionTokenOptions {
  /** Default https://api.notion.com. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * Checks a pasted integration token before it is saved (GET /v1/users/me).
 * Resolves with the integration's name; throws CONNECTOR_AUTH for a bad token.
 */
export async function testNotionToken(
  token: string,
  options: TestNotionTokenOptions = {},
): Promise<{ botName: string | null }> {
  if (token.trim() === '') throw new AppError('VALIDATION', 'Paste the Notion internal integration token first.');
  const clock = options.clock ?? systemClock;
  const api = new NotionApi({
    token: token.trim(),
    baseUrl: options.apiBaseUrl ?? DEFAULT_NOTION_API_BASE_URL,
    logger: options.logger ?? silentLogger,
    fetch: createProviderFetch({
      fetch: options.fetch ?? globalThis.fetch,
      clock,
      signal: options.signal,
      maxRetries: 2,
    }),
  });
  const me = await api.me();
  return { botName: me.name };
}
