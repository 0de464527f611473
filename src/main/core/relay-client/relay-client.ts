import type { Database } from 'better-sqlite3';
import { AppError, toAppError } from '../../../shared/errors';
import type { RelayProvider } from '../../../shared/relay-protocol';
import type { Clock } from '../clock';
import type { ConnectorType } from '../connectors/types';
import type { Logger } from '../logger';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import { ConnectorsRepo } from '../store/connectors.repo';
import { RelayChannelsRepo, type StoredRelayChannel } from '../store/relay-channels.repo';
import { WebhookEventsRepo } from '../store/webhook-events.repo';
import { backoffDelay } from './backoff';
import { crashPoint } from '../crash-points';
import { RelayApi } from './relay-api';
import { toWebhookRow } from './relay-events';

/** Connector types that receive webhooks, and the relay endpoint each uses. */
const RELAY_PROVIDER_BY_TYPE: Partial<Record<ConnectorType, RelayProvider>> = {
  notion: 'notion',
  google_drive: 'drive',
};

export interface RelayClientOptions {
  db: Database;
  secrets: SecretStore;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  /** The configured relay origin (e.g. https://relay.example.com), or null when webhooks are off. */
  relayUrl: () => string | null;
  /** The relay's admin token, when it requires one for creating channels. Default: none. */
  relayAdminToken?: () => string | null;
  /**
   * Called once per newly stored webhook_events row, inside the transaction
   * that stores it (with the channel cursor), so the row and its job commit
   * together. Must enqueue synchronously (the queue's enqueue joins the
   * caller's transaction), ideally with the job key `webhook:<webhookEventId>`,
   * so requeueReceived() cannot double a job that is still queued.
   */
  enqueueWebhook: (webhookEventId: string, connectorId: string) => void;
  providers?: {
    /**
     * Runs whenever ensureChannel succeeds: after a channel was (re)created,
     * and for an existing one (at start-up, after connector changes), e.g. to
     * open or re-arm a Drive watch pointed at it. Must be idempotent.
     */
    onChannelReady?(connectorId: string, channel: StoredRelayChannel): Promise<void>;
  };
  /** Long-poll window asked of the relay, in seconds (the relay may cap it). Default 25. */
  pollWaitSeconds?: number;
  /** Events per poll. Default 100. */
  pageSize?: number;
  /** Backoff after failed polls. Default { baseMs: 1000, maxMs: 60000 }. */
  backoff?: { baseMs: number; maxMs: number };
  /** While events keep arriving, acknowledge at most this often; an idle poll always acknowledges. Default 1000 ms. */
  ackIntervalMs?: number;
  /** Random source for jitter. Default Math.random. */
  random?: () => number;
}

/** The highest sequence the relay was told it may drop, and when (per poll loop). */
interface AckState {
  upTo: number;
  at: number;
}

/** What the desktop shows for a webhook connector. */
export interface WebhookInfo {
  webhookUrl: string;
  /** Notion: the token to paste into the integration's webhook settings, once Notion has sent it. */
  verificationToken?: string;
  /** Drive: the `token` for changes.watch, checked by the relay. */
  driveToken?: string;
}

/** Per-channel poll loop state, for status displays and tests. */
export interface RelayPollStatus {
  connectorId: string;
  consecutiveFailures: number;
  lastError: string | null;
  lastPolledAt: number | null;
}

/**
 * The desktop side of the relay: creates channels, long-polls each one while
 * running, stores each provider event once in webhook_events (same
 * transaction as the cursor), enqueues process_webhook, and acknowledges.
 */
export class RelayClient {
  private readonly channels: RelayChannelsRepo;
  private readonly events: WebhookEventsRepo;
  private readonly connectors: ConnectorsRepo;
  private readonly log: Logger;
  private readonly waitSeconds: number;
  private readonly pageSize: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly ackIntervalMs: number;
  private running: AbortController | null = null;
  private readonly loops = new Map<string, Promise<void>>();
  private readonly statuses = new Map<string, RelayPollStatus>();
  private readonly ensuring = new Map<string, Promise<StoredRelayChannel>>();

  constructor(private readonly options: RelayClientOptions) {
    this.channels = new RelayChannelsRepo(options.db, options.clock);
    this.events = new WebhookEventsRepo(options.db, options.clock);
    this.connectors = new ConnectorsRepo(options.db, options.clock);
    this.log = options.logger.child('relay');
    this.waitSeconds = options.pollWaitSeconds ?? 25;
    this.pageSize = options.pageSize ?? 100;
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    this.ackIntervalMs = options.ackIntervalMs ?? 1000;
  }

  /** Whether connectors of this type get a relay channel. */
  static supports(type: ConnectorType): boolean {
    return RELAY_PROVIDER_BY_TYPE[type] !== undefined;
  }

  /**
   * Returns the connector's channel on the configured relay, creating it
   * (and storing its poll secret in the keychain) when there is none, when
   * the relay URL changed, or when the secret is missing, then runs
   * `providers.onChannelReady` (for an existing channel too). Throws VALIDATION for connectors without
   * webhooks or when no relay is configured; an onChannelReady failure is
   * rethrown, with the channel already saved.
   */
  ensureChannel(connectorId: string): Promise<StoredRelayChannel> {
    // Concurrent calls for one connector share the work, so only one channel is created.
    const pending = this.ensuring.get(connectorId);
    if (pending) return pending;
    const work = this.createChannelIfNeeded(connectorId).finally(() => this.ensuring.delete(connectorId));
    this.ensuring.set(connectorId, work);
    return work;
  }

  private async createChannelIfNeeded(connectorId: string): Promise<StoredRelayChannel> {
    const relayUrl = this.requireRelayUrl();
    const connector = this.connectors.get(connectorId);
    if (!connector) throw new AppError('NOT_FOUND', `Connector ${connectorId} does not exist.`);
    const provider = RELAY_PROVIDER_BY_TYPE[connector.type];
    if (!provider) throw new AppError('VALIDATION', `${connector.name} (${connector.type}) does not receive webhooks.`);

    const account = secretAccounts.relayPollSecret(connectorId);
    const existing = this.channels.get(connectorId);
    const existingSecret = await this.options.secrets.get(account);
    if (existing && existing.relayUrl === relayUrl && existingSecret) {
      // The provider side is not only set up at creation: after a restart a
      // Drive watch may have expired meanwhile, and its renewal timer is gone.
      await this.options.providers?.onChannelReady?.(connectorId, existing);
      return existing;
    }

    const created = await this.api(relayUrl).createChannel(provider);
    if (existing && existingSecret && existing.relayUrl !== relayUrl) {
      // Best effort: the old relay should stop holding events nobody will poll.
      await this.api(existing.relayUrl)
        .deleteChannel(existing.channelId, existingSecret)
        .catch((error: unknown) =>
          this.log.warn('old relay channel not deleted', { connectorId, code: toAppError(error).code }),
        );
    }
    await this.options.secrets.set(account, created.pollSecret);
    const saved = this.channels.save({
      connectorId,
      relayUrl,
      channelId: created.channelId,
      webhookUrl: created.webhookUrl,
    });
    this.log.info('relay channel created', { connectorId, channelId: created.channelId, provider });
    await this.options.providers?.onChannelReady?.(connectorId, saved);
    if (this.running) this.startLoop(connectorId, this.running.signal);
    return saved;
  }

  /** Deletes the channel on the relay (best effort), its keychain secret and its row. */
  async removeChannel(connectorId: string): Promise<void> {
    const channel = this.channels.get(connectorId);
    const account = secretAccounts.relayPollSecret(connectorId);
    const secret = await this.options.secrets.get(account);
    if (channel && secret) {
      await this.api(channel.relayUrl)
        .deleteChannel(channel.channelId, secret)
        .catch((error: unknown) =>
          this.log.warn('relay channel not deleted', { connectorId, code: toAppError(error).code }),
        );
    }
    await this.options.secrets.delete(account);
    this.channels.remove(connectorId);
  }

  /** Replaces the poll secret on the relay and in the keychain. */
  async rotatePollSecret(connectorId: string): Promise<void> {
    const { channel, secret } = await this.channelWithSecret(connectorId);
    const fresh = await this.api(channel.relayUrl).rotateSecret(channel.channelId, secret);
    await this.options.secrets.set(secretAccounts.relayPollSecret(connectorId), fresh);
  }

  /** The Notion verification token the relay received, if any. */
  async notionVerification(
    connectorId: string,
  ): Promise<{ verificationToken: string | null; receivedAt: number | null }> {
    const { channel, secret } = await this.channelWithSecret(connectorId);
    return this.api(channel.relayUrl).notionVerification(channel.channelId, secret);
  }

  /** Lets the relay accept a new Notion verification request (after re-creating the subscription in Notion). */
  async resetNotionVerification(connectorId: string): Promise<void> {
    const { channel, secret } = await this.channelWithSecret(connectorId);
    await this.api(channel.relayUrl).resetNotionVerification(channel.channelId, secret);
  }

  /** What to paste into the provider: the webhook URL and, when known, the verification or channel token. */
  async webhookInfo(connectorId: string): Promise<WebhookInfo> {
    const { channel, secret } = await this.channelWithSecret(connectorId);
    const api = this.api(channel.relayUrl);
    const info = await api.channelInfo(channel.channelId, secret);
    const result: WebhookInfo = { webhookUrl: info.webhookUrl };
    if (info.driveToken) result.driveToken = info.driveToken;
    if (info.provider === 'notion' && info.notionVerified) {
      const verification = await api.notionVerification(channel.channelId, secret);
      if (verification.verificationToken) result.verificationToken = verification.verificationToken;
    }
    return result;
  }

  /**
   * Enqueues process_webhook again for every event still in state
   * `received` (stored, but a crash may have come before its enqueue).
   * Call once at app start; events whose job is still queued get a second
   * job unless enqueueWebhook uses the key `webhook:<id>` (the handler skips
   * already-handled events either way). Returns how many were enqueued.
   */
  requeueReceived(): number {
    const pending = this.events.listReceived();
    for (const event of pending) this.enqueue(event.id, event.connectorId);
    return pending.length;
  }

  /** Starts a long-poll loop for every channel on the configured relay. */
  start(): void {
    if (this.running) return;
    const controller = new AbortController();
    this.running = controller;
    for (const channel of this.channels.list()) this.startLoop(channel.connectorId, controller.signal);
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
      const channel = this.channels.get(connectorId);
      if (!channel || channel.relayUrl !== this.options.relayUrl()?.replace(/\/+$/, '')) {
        this.log.info('relay polling ended', { connectorId, reason: channel ? 'relay changed' : 'channel removed' });
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
        const delay = backoffDelay(status.consecutiveFailures, this.backoff, this.options.random);
        this.log.warn('relay poll failed', {
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
    const api = this.api(channel.relayUrl);
    const events = await api.events(channel.channelId, secret, {
      after: channel.lastSequence,
      limit: this.pageSize,
      waitSeconds: this.waitSeconds,
      signal,
    });
    if (events.length === 0) return this.acknowledge(api, secret, channel, channel.lastSequence, acks, true);
    crashPoint('relay.fetched');

    const upTo = Math.max(...events.map((e) => e.sequence));
    const inserted: string[] = [];
    let skipped = 0;
    this.options.db.transaction(() => {
      for (const event of events) {
        if (event.sequence <= channel.lastSequence) continue;
        const row = toWebhookRow(channel.connectorId, event);
        if (!row) {
          skipped++;
          continue;
        }
        const id = this.events.insertIfNew(row);
        if (id) {
          inserted.push(id);
          this.enqueue(id, channel.connectorId);
        }
      }
      this.channels.advance(channel.connectorId, channel.channelId, upTo);
    })();
    crashPoint('relay.stored');
    this.log.debug('relay events stored', {
      connectorId: channel.connectorId,
      received: events.length,
      stored: inserted.length,
      duplicates: events.length - inserted.length - skipped,
      unreadable: skipped,
      upTo,
    });
    if (skipped > 0)
      this.log.warn('relay events skipped as unreadable', { connectorId: channel.connectorId, count: skipped });

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
    if (upTo <= acks.upTo || (!idle && now - acks.at < this.ackIntervalMs)) return;
    try {
      await api.ack(channel.channelId, secret, upTo);
      crashPoint('relay.acknowledged');
      acks.upTo = upTo;
      acks.at = now;
    } catch (error) {
      this.log.warn('relay ack failed', { connectorId: channel.connectorId, code: toAppError(error).code });
    }
  }

  private enqueue(webhookEventId: string, connectorId: string): void {
    try {
      this.options.enqueueWebhook(webhookEventId, connectorId);
    } catch (error) {
      // The row stays `received` (it still commits); requeueReceived() at the next start picks it up.
      this.log.error('process_webhook not enqueued', { connectorId, webhookEventId, code: toAppError(error).code });
    }
  }

  private async channelWithSecret(connectorId: string): Promise<{ channel: StoredRelayChannel; secret: string }> {
    const channel = this.channels.get(connectorId);
    const secret = await this.options.secrets.get(secretAccounts.relayPollSecret(connectorId));
    if (!channel || !secret) {
      throw new AppError('NOT_FOUND', 'This connector has no relay channel yet; enable webhooks for it first.');
    }
    return { channel, secret };
  }

  private requireRelayUrl(): string {
    const url = this.options.relayUrl();
    if (!url) throw new AppError('VALIDATION', 'No relay URL is configured; set one in Settings to receive webhooks.');
    return url.replace(/\/+$/, '');
  }

  private api(relayUrl: string): RelayApi {
    return new RelayApi(this.options.fetch, relayUrl, this.options.relayAdminToken?.() ?? null);
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
