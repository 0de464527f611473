import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChannelRouteDeps } from './channel-routes';
import { HttpError, rateLimited, readBody, sendJson } from './http-io';
import {
  acceptDrive,
  acceptNotion,
  authenticateDrive,
  authenticateNotion,
  type AuthCheck,
  type IngestOutcome,
} from './ingest';
import type { RelayProvider } from '../shared/relay-protocol';

/**
 * POST /hooks/:channelId/:provider. The order is the point: who sent the
 * delivery is checked first; only an authenticated delivery spends a token
 * of the channel's delivery budget. A failed check spends a token of the
 * separate failed-authentication budget, so a stranger posting forgeries
 * can exhaust only that one (further forgeries then get 429) while the real
 * provider's deliveries keep going through.
 */
export async function receiveHook(
  deps: ChannelRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  channelId: string,
  provider: RelayProvider,
): Promise<IngestOutcome> {
  const channel = deps.store.getChannel(channelId);
  if (!channel || channel.provider !== provider) {
    throw new HttpError(404, 'unknown_channel', 'No such channel on this relay.');
  }
  const ingestDeps = { store: deps.store, now: deps.now };
  let outcome: IngestOutcome;
  if (provider === 'drive') {
    // Drive's token is a header: a forgery is refused before its body is read (Node discards the rest).
    authenticated(deps, channel.id, authenticateDrive(channel, req));
    const raw = await readBody(req, deps.config.bodyLimitBytes);
    spendDeliveryToken(deps, channel.id);
    outcome = acceptDrive(ingestDeps, channel, req, raw);
  } else {
    const raw = await readBody(req, deps.config.bodyLimitBytes);
    const delivery = authenticated(deps, channel.id, authenticateNotion(channel, req, raw));
    spendDeliveryToken(deps, channel.id);
    outcome = acceptNotion(ingestDeps, channel, delivery, raw);
  }
  if (outcome.kind === 'stored') deps.waiters.notify(channel.id);
  sendJson(res, 200, {
    ok: true,
    ...(outcome.kind === 'stored' ? { sequence: outcome.sequence } : { outcome: outcome.kind }),
  });
  return outcome;
}

/** Returns the delivery, or throws the refusal (charged to the failed-auth budget; 429 once that is spent). */
function authenticated<T>(deps: ChannelRouteDeps, channelId: string, check: AuthCheck<T>): T {
  if (check.ok) return check.delivery;
  const retryMs = deps.failedAuthBuckets.take(channelId);
  if (retryMs > 0) {
    throw rateLimited(
      retryMs,
      'Too many deliveries that failed authentication for this channel; retry later.',
      'auth_rate_limited',
    );
  }
  throw check.error;
}

function spendDeliveryToken(deps: ChannelRouteDeps, channelId: string): void {
  const retryMs = deps.deliveryBuckets.take(channelId);
  if (retryMs > 0) throw rateLimited(retryMs, 'Too many deliveries for this channel; retry later.');
}
