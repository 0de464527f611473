import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayConfig } from './config';
import type { EventWaiters } from './event-waiters';
import { bearerToken, HttpError, parseJson, rateLimited, readBody, safeEqual, sendJson, sha256Hex } from './http-io';
import {
  ackRequestSchema,
  createChannelRequestSchema,
  type ChannelInfo,
  type CreatedChannel,
  type NotionVerification,
  type RelayProvider,
} from '../shared/relay-protocol';
import type { RelayChannel, RelayStore } from './relay-store';
import type { TokenBuckets } from './token-bucket';

export interface ChannelRouteDeps {
  config: RelayConfig;
  store: RelayStore;
  waiters: EventWaiters;
  /** Per-channel budget of authenticated deliveries (forgotten when a channel is deleted). */
  deliveryBuckets: TokenBuckets;
  /** Per-channel budget of deliveries that failed authentication; separate, so forgeries cannot use up the one above. */
  failedAuthBuckets: TokenBuckets;
  /** One global bucket capping channel creation. */
  createBuckets: TokenBuckets;
  now: () => number;
  /** Origin used in webhook URLs. */
  publicBaseUrl: () => string;
  isShuttingDown: () => boolean;
}

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
/** Channel creation is unauthenticated by default; this one bucket caps how fast anyone can create them. */
const CREATE_BUCKET_KEY = 'create';

export function webhookUrl(base: string, channelId: string, provider: RelayProvider): string {
  return `${base}/hooks/${channelId}/${provider}`;
}

/** POST /channels */
export async function createChannel(deps: ChannelRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (deps.config.adminToken !== null) {
    const token = bearerToken(req);
    if (token === null || !safeEqual(token, deps.config.adminToken)) {
      throw new HttpError(401, 'bad_admin_token', 'Creating a channel on this relay requires its admin token.');
    }
  }
  const parsed = createChannelRequestSchema.safeParse(parseJson(await readBody(req, deps.config.bodyLimitBytes)));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', 'Body must be {"provider": "notion" | "drive"}.');
  // Only a well-formed request spends a token: malformed ones cannot use up the budget of real desktops.
  const retryMs = deps.createBuckets.take(CREATE_BUCKET_KEY);
  if (retryMs > 0) throw rateLimited(retryMs, 'Too many channels created on this relay; retry later.');

  const provider = parsed.data.provider;
  const channelId = 'ch_' + randomBytes(16).toString('base64url');
  const pollSecret = randomBytes(32).toString('base64url');
  const driveToken = provider === 'drive' ? randomBytes(24).toString('base64url') : null;
  deps.store.createChannel({
    id: channelId,
    provider,
    pollSecretHash: sha256Hex(pollSecret),
    driveToken,
    now: deps.now(),
  });

  const created: CreatedChannel = {
    channelId,
    provider,
    pollSecret,
    webhookUrl: webhookUrl(deps.publicBaseUrl(), channelId, provider),
    ...(driveToken === null ? {} : { driveToken }),
  };
  sendJson(res, 201, created);
}

/** Looks up a channel and checks the poll secret: 404 when unknown, 401 when the secret is wrong or missing. */
export function authorise(deps: ChannelRouteDeps, req: IncomingMessage, channelId: string): RelayChannel {
  const channel = deps.store.getChannel(channelId);
  if (!channel) throw new HttpError(404, 'unknown_channel', 'No such channel on this relay.');
  const secret = bearerToken(req);
  if (secret === null || !safeEqual(sha256Hex(secret), channel.pollSecretHash)) {
    throw new HttpError(401, 'bad_poll_secret', 'The poll secret is missing or wrong for this channel.');
  }
  return channel;
}

export function channelInfo(deps: ChannelRouteDeps, channel: RelayChannel, res: ServerResponse): void {
  const info: ChannelInfo = {
    channelId: channel.id,
    provider: channel.provider,
    webhookUrl: webhookUrl(deps.publicBaseUrl(), channel.id, channel.provider),
    notionVerified: channel.notionVerificationToken !== null,
    ...(channel.driveToken === null ? {} : { driveToken: channel.driveToken }),
  };
  sendJson(res, 200, info);
}

export function rotateSecret(deps: ChannelRouteDeps, channel: RelayChannel, res: ServerResponse): void {
  const pollSecret = randomBytes(32).toString('base64url');
  deps.store.setPollSecretHash(channel.id, sha256Hex(pollSecret));
  sendJson(res, 200, { pollSecret });
}

export function deleteChannel(deps: ChannelRouteDeps, channel: RelayChannel, res: ServerResponse): void {
  deps.store.deleteChannel(channel.id);
  deps.deliveryBuckets.forget(channel.id);
  deps.failedAuthBuckets.forget(channel.id);
  deps.waiters.notify(channel.id);
  res.writeHead(204).end();
}

export function notionVerification(channel: RelayChannel, res: ServerResponse): void {
  const body: NotionVerification = {
    verificationToken: channel.notionVerificationToken,
    receivedAt: channel.notionVerificationAt,
  };
  sendJson(res, 200, body);
}

export function resetNotionVerification(deps: ChannelRouteDeps, channel: RelayChannel, res: ServerResponse): void {
  deps.store.setNotionVerification(channel.id, null, null);
  res.writeHead(204).end();
}

/**
 * GET /channels/:id/events?after=<seq>&limit=<n>&wait=<seconds>
 * Answers at once when events after the cursor exist; otherwise waits until
 * one arrives or the long-poll window (server setting, `wait` may shorten
 * it) passes, then answers what it has (possibly nothing).
 */
export async function pollEvents(
  deps: ChannelRouteDeps,
  channel: RelayChannel,
  query: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const after = queryInt(query, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = queryInt(query, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const maxWaitMs = deps.config.longPollMs;
  const waitParam = query.get('wait');
  const waitMs = waitParam === null ? maxWaitMs : Math.min(maxWaitMs, queryInt(query, 'wait', 0, 0, 3600) * 1000);

  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const deadline = deps.now() + waitMs;

  for (;;) {
    if (deps.isShuttingDown()) return sendJson(res, 200, { events: [] });
    const events = deps.store.listEvents(channel.id, channel.provider, after, limit);
    const remaining = deadline - deps.now();
    if (events.length > 0 || remaining <= 0 || gone.signal.aborted) return sendJson(res, 200, { events });
    await deps.waiters.wait(channel.id, remaining, gone.signal);
    if (!deps.store.getChannel(channel.id)) throw new HttpError(404, 'unknown_channel', 'The channel was deleted.');
  }
}

export async function ackEvents(
  deps: ChannelRouteDeps,
  channel: RelayChannel,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const parsed = ackRequestSchema.safeParse(parseJson(await readBody(req, deps.config.bodyLimitBytes)));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', 'Body must be {"upTo": <sequence>}.');
  const dropped = deps.store.ack(channel.id, parsed.data.upTo);
  sendJson(res, 200, { dropped });
}

function queryInt(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text))
    throw new HttpError(400, 'invalid_query', `Query parameter "${name}" must be a whole number.`);
  return Math.min(max, Math.max(min, Number(text)));
}
