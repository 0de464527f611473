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
import { RelayApi } from './relay-api';
import { RelayPoller, type RelayPollStatus } from './relay-poller';

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

/** What the desktop shows for a webhook connector. */
export interface WebhookInfo {
  webhookUrl: string;
  /** Notion: the token to paste into the integration's webhook settings, once Notion has sent it. */
  verificationToken?: string;
  /** Drive: the `token` for changes.watch, checked by the relay. */
  driveToken?: string;
}

export type { RelayPollStatus } from './relay-poller';

/**
 * The desktop side of the relay: manages each webhook connector's channel
 * (creation, secret, removal, what to paste into the provider); polling is
 * RelayPoller's (relay-poller.ts).
 */
export class RelayClient {
  private readonly channels: RelayChannelsRepo;
  private readonly connectors: ConnectorsRepo;
  private readonly log: Logger;
  private readonly poller: RelayPoller;
  private readonly ensuring = new Map<string, Promise<StoredRelayChannel>>();

  constructor(private readonly options: RelayClientOptions) {
    this.channels = new RelayChannelsRepo(options.db, options.clock);
    this.connectors = new ConnectorsRepo(options.db, options.clock);
    this.log = options.logger.child('relay');
    this.poller = new RelayPoller({
      db: options.db,
      secrets: options.secrets,
      clock: options.clock,
      log: this.log,
      channels: this.channels,
      events: new WebhookEventsRepo(options.db, options.clock),
      relayUrl: () => options.relayUrl()?.replace(/\/+$/, '') ?? null,
      api: (relayUrl) => this.api(relayUrl),
      enqueueWebhook: options.enqueueWebhook,
      waitSeconds: options.pollWaitSeconds ?? 25,
      pageSize: options.pageSize ?? 100,
      backoff: options.backoff ?? { baseMs: 1000, maxMs: 60_000 },
      ackIntervalMs: options.ackIntervalMs ?? 1000,
      random: options.random,
    });
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
    this.poller.follow(connectorId);
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

  /** See RelayPoller.requeueReceived. */
  requeueReceived(): number {
    return this.poller.requeueReceived();
  }

  /** Starts a long-poll loop for every channel on the configured relay. */
  start(): void {
    this.poller.start();
  }

  /** Stops polling; resolves when every loop has ended (in-flight polls are aborted). */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  status(): RelayPollStatus[] {
    return this.poller.status();
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
}
