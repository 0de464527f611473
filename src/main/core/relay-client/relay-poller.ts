import type { Database } from 'better-sqlite3';
import { AppError, toAppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { crashPoint } from '../crash-points';
import type { Logger } from '../logger';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { RelayChannelsRepo, StoredRelayChannel } from '../store/relay-channels.repo';
import type { WebhookEventsRepo } from '../store/webhook-events.repo';
import { backoffDelay } from './backoff';
import type { RelayApi } from './relay-api';
import { toWebhookRow } from './relay-events';
import { writeTransaction } from '../db/write-transaction';

/** The highest sequence the relay was told it may drop, and when (per poll loop). */
interface AckState {
  upTo: number;
  at: number;
}

/** Per-channel poll loop state, for status displays and tests. */
export interface RelayPollStatus {
  connectorId: string;
  consecutiveFailures: number;
  lastError: string | null;
  lastPolledAt: number | null;
}

export interface RelayPollerOptions {
  db: Database;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  channels: RelayChannelsRepo;
  events: WebhookEventsRepo;
  /** The configured relay origin without a trailing slash, or null. */
  relayUrl(): string | null;
  api(relayUrl: string): RelayApi;
  /** See RelayClientOptions.enqueueWebhook. */
  enqueueWebhook(webhookEventId: string, connectorId: string): void;
  waitSeconds: number;
  pageSize: number;
  backoff: { baseMs: number; maxMs: number };
  ackIntervalMs: number;
  random?: () => number;
}

/**
 * The polling half of the relay client: one long-poll loop per channel while
 * running; each provider event is stored once in webhook_events (same
 * transaction as the channel cursor), process_webhook is enqueued, and the
 * relay is told it may drop what was stored.
 */
export class RelayPoller {
  private running: AbortController | null = null;
  private readonly loops = new Map<string, Promise<void>>();
  private readonly statuses = new Map<string, RelayPollStatus>();

  constructor(private readonly options: RelayPollerOptions) {}

  /**
   * Enqueues process_webhook again for every event still in state
   * `received` (stored, but a crash may have come before its enqueue).
   * Call once at app start; events whose job is still queued get a second
   * job unless enqueueWebhook uses the key `webhook:<id>` (the handler skips
   * already-handled events either way). Returns how many were enqueued.
   */
  requeueReceived(): number {
    const pending = this.options.events.listReceived();
    for (const event of pending) this.enqueue(event.id, event.connectorId);
    return pending.length;
  }

  /** Starts a long-poll loop for every channel on the configured relay. */
  start(): void {
    if (this.running) return;
    const controller = new AbortController();
    this.running = controller;
    for (const channel of this.options.channels.list()) this.startLoop(channel.connectorId, controller.signal);
  }

  /** Polls a channel just created, if polling is running. */
  follow(connectorId: string): void {
    if (this.running) this.startLoop(connectorId, this.running.signal);
  }
  /** Stops polling; resolves when every loop has ended (in-flight polls are aborted). */
  async stop(): Promise<void> {
    const controller = this.running;
    if (!controller) return;
    this.running = null;
    controller.abort();
    await Promise.allSettled([...this.loops.values()]);
  }

  status(): RelayPollStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s }));
  }

  private startLoop(connectorId: string, signal: AbortSignal): void {
    if (this.loops.has(connectorId)) return;
    const loop = this.runLoop(connectorId, signal).finally(() => this.loops.delete(connectorId));
    this.loops.set(connectorId, loop);
  }

  private async runLoop(connectorId: string, signal: AbortSignal): Promise<void> {
    const status: RelayPollStatus = { connectorId, consecutiveFailures: 0, lastError: null, lastPolledAt: null };
    this.statuses.set(connectorId, status);
    const acks: AckState = { upTo: 0, at: Number.NEGATIVE_INFINITY };
    while (!signal.aborted) {
      const channel = this.options.channels.get(connectorId);
      if (!channel || channel.relayUrl !== this.options.relayUrl()) {
        this.options.log.info('relay polling ended', {
          connectorId,
          reason: channel ? 'relay changed' : 'channel removed',
        });
        return;
      }
      try {
        await this.pollOnce(channel, signal, acks);
        status.consecutiveFailures = 0;
        status.lastError = null;
        status.lastPolledAt = this.options.clock.now();
      } catch (error) {
        if (signal.aborted) return;
        status.consecutiveFailures++;
        const appError = toAppError(error);
        status.lastError = appError.message;
        const delay = backoffDelay(status.consecutiveFailures, this.options.backoff, this.options.random);
        this.options.log.warn('relay poll failed', {
          connectorId,
          code: appError.code,
          status: appError.details?.status,
          failures: status.consecutiveFailures,
          retryInMs: delay,
        });
        await this.sleep(delay, signal);
      }
    }
  }

  /** One long-poll: fetch, store once together with the cursor, enqueue, acknowledge (throttled). */
  private async pollOnce(channel: StoredRelayChannel, signal: AbortSignal, acks: AckState): Promise<void> {
    const secret = await this.options.secrets.get(secretAccounts.relayPollSecret(channel.connectorId));
    if (!secret) {
      throw new AppError(
        'CONNECTOR_AUTH',
        'The relay poll secret is missing from the keychain; reconnect webhooks for this connector.',
      );
    }
    const api = this.options.api(channel.relayUrl);
    const events = await api.events(channel.channelId, secret, {
      after: channel.lastSequence,
      limit: this.options.pageSize,
      waitSeconds: this.options.waitSeconds,
      signal,
    });
    if (events.length === 0) return this.acknowledge(api, secret, channel, channel.lastSequence, acks, true);
    crashPoint('relay.fetched');

    const upTo = Math.max(...events.map((e) => e.sequence));
    const inserted: string[] = [];
    let skipped = 0;
    writeTransaction(this.options.db, () => {
      for (const event of events) {
        if (event.sequence <= channel.lastSequence) continue;
        const row = toWebhookRow(channel.connectorId, event);
        if (!row) {
          skipped++;
          continue;
        }
        const id = this.options.events.insertIfNew(row);
        if (id) {
          inserted.push(id);
          this.enqueue(id, channel.connectorId);
        }
      }
      this.options.channels.advance(channel.connectorId, channel.channelId, upTo);
    })();
    crashPoint('relay.stored');
    this.options.log.debug('relay events stored', {
      connectorId: channel.connectorId,
      received: events.length,
      stored: inserted.length,
      duplicates: events.length - inserted.length - skipped,
      unreadable: skipped,
      upTo,
    });
    if (skipped > 0)
      this.options.log.warn('relay events skipped as unreadable', { connectorId: channel.connectorId, count: skipped });

    // Rows and jobs are committed, so work can start before the relay hears back.
    await this.acknowledge(api, secret, channel, upTo, acks, false);
  }

  /**
   * Tells the relay it may drop events up to `upTo`. During a stream of
   * events this happens at most once per ackIntervalMs (one request per
   * event would add a third of the traffic); whenever a poll comes back
   * empty the relay is brought up to date. The cursor is already safe
   * locally, so a failed or delayed ack only means the relay keeps the
   * events a little longer.
   */
  private async acknowledge(
    api: RelayApi,
    secret: string,
    channel: StoredRelayChannel,
    upTo: number,
    acks: AckState,
    idle: boolean,
  ): Promise<void> {
    const now = this.options.clock.now();
    if (upTo <= acks.upTo || (!idle && now - acks.at < this.options.ackIntervalMs)) return;
    try {
      await api.ack(channel.channelId, secret, upTo);
      crashPoint('relay.acknowledged');
      acks.upTo = upTo;
      acks.at = now;
    } catch (error) {
      this.options.log.warn('relay ack failed', { connectorId: channel.connectorId, code: toAppError(error).code });
    }
  }

  private enqueue(webhookEventId: string, connectorId: string): void {
    try {
      this.options.enqueueWebhook(webhookEventId, connectorId);
    } catch (error) {
      // The row stays `received` (it still commits); requeueReceived() at the next start picks it up.
      this.options.log.error('process_webhook not enqueued', {
        connectorId,
        webhookEventId,
        code: toAppError(error).code,
      });
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.options.clock.clearTimeout(handle);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const handle = this.options.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
