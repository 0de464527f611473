import { createProviderFetch } from '../http/provider-fetch';
import type { ConnectorContext } from '../types';
import { DriveApi, driveRetryClassifier } from './drive-api';
import { DriveSession } from './drive-session';
import { parseGoogleDriveSettings } from './google-drive.connector';

/** An open push channel; keep `resourceId` to stop it. */
export interface DriveChannel {
  channelId: string;
  resourceId: string;
  /** Epoch ms when Google closes the channel; renew before then. */
  expiration: number | null;
}

export interface WatchDriveChangesOptions {
  /** The Google Drive connector's context (settings, keychain, fetch). */
  context: ConnectorContext;
  /** Public HTTPS URL Google posts notifications to (the relay). */
  address: string;
  /** A unique id for this channel (UUID). */
  channelId: string;
  /** Echoed back as X-Goog-Channel-Token on every notification; the relay verifies it. */
  token: string;
  /** Requested lifetime; Google caps changes channels at 7 days. Default: Google's default (1 hour). */
  expirationMs?: number;
  /** Watch changes after this token. Default: the current start page token. */
  pageToken?: string;
  signal?: AbortSignal;
}

/** Opens a changes.watch channel so Drive pushes "something changed" to the relay. */
export async function watchDriveChanges(options: WatchDriveChangesOptions): Promise<DriveChannel> {
  const api = driveApiFor(options.context, options.signal);
  const pageToken = options.pageToken ?? (await api.getStartPageToken());
  const body: Record<string, unknown> = {
    id: options.channelId,
    type: 'web_hook',
    address: options.address,
    token: options.token,
  };
  if (options.expirationMs !== undefined) body.expiration = String(options.context.clock.now() + options.expirationMs);
  const channel = await api.watchChanges(pageToken, body);
  return {
    channelId: String(channel.id ?? options.channelId),
    resourceId: String(channel.resourceId ?? ''),
    expiration: channel.expiration === undefined ? null : Number(channel.expiration),
  };
}

/** Closes a channel opened by watchDriveChanges (channels.stop). */
export async function stopDriveChannel(options: {
  context: ConnectorContext;
  channelId: string;
  resourceId: string;
  signal?: AbortSignal;
}): Promise<void> {
  await driveApiFor(options.context, options.signal).stopChannel(options.channelId, options.resourceId);
}

function driveApiFor(ctx: ConnectorContext, signal?: AbortSignal): DriveApi {
  const settings = parseGoogleDriveSettings(ctx.config.settings);
  const session = new DriveSession({
    connectorId: ctx.config.id,
    settings,
    secrets: ctx.secrets,
    fetch: ctx.fetch,
    logger: ctx.logger,
    setStatus: ctx.setStatus?.bind(ctx),
  });
  return new DriveApi({
    baseUrl: settings.apiBaseUrl,
    includeSharedDrives: settings.includeSharedDrives,
    session,
    fetch: createProviderFetch({
      fetch: ctx.fetch,
      clock: ctx.clock,
      signal,
      isRetryable: driveRetryClassifier,
      logger: ctx.logger,
    }),
  });
}
