import { createProviderFetch, type RetryPolicy } from '../http/provider-fetch';
import { parseConnectorSettings } from '../registry';
import type {
  Connector,
  ConnectorContext,
  ConnectorFactory,
  SyncBatch,
  SyncOptions,
  SyncResult,
  WebhookAction,
  WebhookEvent,
} from '../types';
import { DriveApi, driveRetryClassifier } from './drive-api';
import { DriveSession } from './drive-session';
import { driveSyncByIds, fullDriveSync, incrementalDriveSync, type DriveRunContext } from './drive-sync';
import { driveCursorSchema, googleDriveSettingsSchema, type GoogleDriveSettings } from './settings';

export interface GoogleDriveConnectorOptions {
  /** Backoff for 429 / 403 rate-limit / 5xx answers. Defaults: 6 retries from 500 ms. */
  retry?: RetryPolicy;
}

/** Builds the factory; `googleDriveConnectorFactory` is the production instance. */
export function createGoogleDriveConnectorFactory(factoryOptions: GoogleDriveConnectorOptions = {}): ConnectorFactory {
  return (ctx) => new GoogleDriveConnector(ctx, factoryOptions);
}

export const googleDriveConnectorFactory: ConnectorFactory = createGoogleDriveConnectorFactory();

export function parseGoogleDriveSettings(settings: unknown): GoogleDriveSettings {
  return parseConnectorSettings('google_drive', googleDriveSettingsSchema, settings);
}

class GoogleDriveConnector implements Connector {
  readonly type = 'google_drive' as const;
  readonly supportsWebhooks = true;
  private readonly settings: GoogleDriveSettings;
  private readonly session: DriveSession;

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly factoryOptions: GoogleDriveConnectorOptions,
  ) {
    this.settings = parseGoogleDriveSettings(ctx.config.settings);
    this.session = new DriveSession({
      connectorId: ctx.config.id,
      settings: this.settings,
      secrets: ctx.secrets,
      fetch: ctx.fetch,
      logger: ctx.logger,
      setStatus: ctx.setStatus?.bind(ctx),
    });
  }

  async testConnection(signal?: AbortSignal): Promise<void> {
    const api = this.api({ signal });
    await api.getStartPageToken();
  }

  async *sync(options: SyncOptions): AsyncGenerator<SyncBatch, SyncResult, void> {
    const run: DriveRunContext = {
      api: this.api({ signal: options.signal, stats: options.stats }),
      settings: this.settings,
      options,
      logger: this.ctx.logger,
    };
    if (options.onlyExternalIds) return yield* driveSyncByIds(run, options.onlyExternalIds);
    const cursor = driveCursorSchema.safeParse(options.cursor);
    if (options.mode === 'incremental' && cursor.success) return yield* incrementalDriveSync(run, cursor.data);
    return yield* fullDriveSync(run);
  }

  async handleWebhook(event: WebhookEvent): Promise<WebhookAction[]> {
    return driveWebhookActions(event);
  }

  private api(run: { signal?: AbortSignal; stats?: SyncOptions['stats'] }): DriveApi {
    return new DriveApi({
      baseUrl: this.settings.apiBaseUrl,
      includeSharedDrives: this.settings.includeSharedDrives,
      session: this.session,
      fetch: createProviderFetch({
        ...this.factoryOptions.retry,
        fetch: this.ctx.fetch,
        clock: this.ctx.clock,
        signal: run.signal,
        stats: run.stats,
        isRetryable: driveRetryClassifier,
        logger: this.ctx.logger,
      }),
    });
  }
}

/**
 * Drive push notifications carry no file ids, only "something changed"
 * (X-Goog-Resource-State). `sync` is the handshake sent when a channel opens.
 */
export function driveWebhookActions(event: WebhookEvent): WebhookAction[] {
  const headers = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const state = headers['x-goog-resource-state'] ?? event.eventType;
  if (state === 'sync') return [{ kind: 'ignore', reason: 'channel handshake' }];
  if (!state) return [{ kind: 'ignore', reason: 'not a Drive notification' }];
  return [{ kind: 'sync', mode: 'incremental' }];
}
