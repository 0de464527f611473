import { AppError, toAppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { RelayChannelsRepo } from '../store/relay-channels.repo';

/**
 * The two Drive calls the renewer needs. The Drive connector's
 * `watchDriveChanges` / `stopDriveChannel` are adapted to this by app.ts.
 */
export interface DriveWatchPort {
  /**
   * Opens a changes.watch channel (type `web_hook`) delivering to `address`
   * with `token` echoed in X-Goog-Channel-Token, asking for `ttlMs`.
   * Resolves with what Google answered; `expiration` is epoch ms.
   */
  watch(
    connectorId: string,
    request: { channelId: string; address: string; token: string; ttlMs: number },
  ): Promise<{ channelId: string; resourceId: string; expiration: number }>;
  /** channels.stop for a watch that is being replaced. */
  stop(connectorId: string, channel: { channelId: string; resourceId: string }): Promise<void>;
}

/** The open watch, kept in relay_channels.provider_state.driveWatch. */
export interface DriveWatchState {
  channelId: string;
  resourceId: string;
  expiration: number;
}

export interface DriveWatchRenewerOptions {
  channels: RelayChannelsRepo;
  /** The relay webhook URL and Drive token of the connector's channel (RelayClient.webhookInfo). */
  webhookInfo(connectorId: string): Promise<{ webhookUrl: string; driveToken?: string }>;
  drive: DriveWatchPort;
  clock: Clock;
  logger: Logger;
  /** Lifetime asked for each watch. Default 24 h (Google caps changes watches at 7 days). */
  ttlMs?: number;
  /** Renew when less than this remains. Default 1 h. */
  renewBeforeMs?: number;
  /** Wait before retrying a failed watch. Default 5 min. */
  retryMs?: number;
}

/**
 * Keeps one Drive changes.watch channel open per Drive connector, pointed at
 * its relay webhook URL, and replaces it before it expires. A new watch is
 * opened before the old one is stopped, so no change goes unannounced.
 */
export class DriveWatchRenewer {
  private readonly timers = new Map<string, unknown>();
  private readonly log: Logger;
  private readonly ttlMs: number;
  private readonly renewBeforeMs: number;
  private readonly retryMs: number;
  private stopped = false;

  constructor(private readonly options: DriveWatchRenewerOptions) {
    this.log = options.logger.child('drive-watch');
    this.ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.renewBeforeMs = options.renewBeforeMs ?? 3_600_000;
    this.retryMs = options.retryMs ?? 5 * 60_000;
  }

  /**
   * Makes sure the connector has a watch that is not about to expire,
   * opening a new one if needed, and schedules the next renewal.
   * Rejects when Drive refuses (a retry is scheduled anyway).
   */
  async ensure(connectorId: string): Promise<DriveWatchState> {
    this.stopped = false;
    try {
      const state = await this.renewIfDue(connectorId);
      this.schedule(connectorId, Math.max(0, state.expiration - this.renewBeforeMs - this.options.clock.now()));
      return state;
    } catch (error) {
      this.log.warn('drive watch failed', { connectorId, code: toAppError(error).code, retryInMs: this.retryMs });
      this.schedule(connectorId, this.retryMs);
      throw error;
    }
  }

  /** The watch recorded for the connector, if any. */
  current(connectorId: string): DriveWatchState | null {
    const state = this.options.channels.get(connectorId)?.providerState.driveWatch;
    return isWatchState(state) ? state : null;
  }

  /** Cancels scheduled renewals (open watches simply expire at Google). */
  stop(): void {
    this.stopped = true;
    for (const handle of this.timers.values()) this.options.clock.clearTimeout(handle);
    this.timers.clear();
  }

  private async renewIfDue(connectorId: string): Promise<DriveWatchState> {
    const existing = this.current(connectorId);
    const now = this.options.clock.now();
    if (existing && existing.expiration - now > this.renewBeforeMs) return existing;

    const info = await this.options.webhookInfo(connectorId);
    if (!info.driveToken) {
      throw new AppError(
        'VALIDATION',
        'The relay channel of this connector is not a Drive channel; re-create its webhook channel.',
      );
    }
    const opened = await this.options.drive.watch(connectorId, {
      channelId: newId(),
      address: info.webhookUrl,
      token: info.driveToken,
      ttlMs: this.ttlMs,
    });
    const state: DriveWatchState = {
      channelId: opened.channelId,
      resourceId: opened.resourceId,
      expiration: opened.expiration,
    };
    const channel = this.options.channels.get(connectorId);
    this.options.channels.setProviderState(connectorId, { ...(channel?.providerState ?? {}), driveWatch: state });
    this.log.info('drive watch opened', { connectorId, watchChannelId: state.channelId, expiresAt: state.expiration });
    if (existing) {
      await this.options.drive
        .stop(connectorId, { channelId: existing.channelId, resourceId: existing.resourceId })
        .catch((error: unknown) =>
          this.log.warn('old drive watch not stopped', {
            connectorId,
            watchChannelId: existing.channelId,
            code: toAppError(error).code,
          }),
        );
    }
    return state;
  }

  private schedule(connectorId: string, delayMs: number): void {
    if (this.stopped) return;
    const previous = this.timers.get(connectorId);
    if (previous !== undefined) this.options.clock.clearTimeout(previous);
    const handle = this.options.clock.setTimeout(() => {
      this.timers.delete(connectorId);
      // Errors are logged and rescheduled inside ensure().
      this.ensure(connectorId).catch(() => undefined);
    }, delayMs);
    this.timers.set(connectorId, handle);
  }
}

function isWatchState(value: unknown): value is DriveWatchState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.channelId === 'string' && typeof v.resourceId === 'string' && typeof v.expiration === 'number';
}
