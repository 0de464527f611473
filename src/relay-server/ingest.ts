import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DRIVE_RECORDED_HEADERS } from '../shared/relay-protocol';
import { HttpError, parseJson, safeEqual, singleHeader } from './http-io';
import type { RelayChannel, RelayStore } from './relay-store';

/** What an accepted delivery became, for the access log and the answer. */
export type IngestOutcome =
  | { kind: 'stored'; sequence: number }
  | { kind: 'duplicate' }
  | { kind: 'notion_verification' }
  | { kind: 'drive_handshake' };

export interface IngestDeps {
  store: RelayStore;
  now: () => number;
}

/**
 * The result of checking who sent a delivery. A refusal is an
 * authentication failure: the caller charges it to the channel's
 * failed-authentication budget, never to its delivery budget.
 */
export type AuthCheck<T> = { ok: true; delivery: T } | { ok: false; error: HttpError };

/** A Notion delivery that passed authentication. */
export type NotionDelivery = { kind: 'verification'; token: string } | { kind: 'event' };

/**
 * Notion webhooks. The first request of a subscription carries
 * `{"verification_token": "..."}` and no signature: it is accepted so the
 * desktop can show the token for pasting into Notion. Every later request must
 * carry `X-Notion-Signature: sha256=<hex HMAC-SHA256(verification_token, raw body)>`.
 * A second verification request while a token is held is refused (409)
 * until the desktop resets the token: otherwise anyone who learned the URL
 * could swap the signing key. Stores nothing.
 */
export function authenticateNotion(
  channel: RelayChannel,
  req: IncomingMessage,
  raw: Buffer,
): AuthCheck<NotionDelivery> {
  const token = channel.notionVerificationToken;
  if (token === null) {
    const verification = verificationToken(tryParse(raw));
    if (verification !== null) return { ok: true, delivery: { kind: 'verification', token: verification } };
    return refuse(
      401,
      'channel_not_verified',
      'This channel has no Notion verification token yet, so events cannot be checked. Finish the verification step in Notion first.',
    );
  }

  const signature = singleHeader(req, 'x-notion-signature');
  if (signature === undefined) {
    if (verificationToken(tryParse(raw)) !== null) {
      return refuse(
        409,
        'already_verified',
        'This channel already holds a Notion verification token. Reset it from Trove to accept a new one.',
      );
    }
    return refuse(401, 'missing_signature', 'X-Notion-Signature header is required.');
  }
  const expected = 'sha256=' + createHmac('sha256', token).update(raw).digest('hex');
  if (!safeEqual(signature, expected))
    return refuse(401, 'bad_signature', 'X-Notion-Signature does not match the body.');
  return { ok: true, delivery: { kind: 'event' } };
}

/** Stores an authenticated Notion delivery (or keeps its verification token). */
export function acceptNotion(
  deps: IngestDeps,
  channel: RelayChannel,
  delivery: NotionDelivery,
  raw: Buffer,
): IngestOutcome {
  if (delivery.kind === 'verification') {
    deps.store.setNotionVerification(channel.id, delivery.token, deps.now());
    return { kind: 'notion_verification' };
  }
  const body = parseJson(raw);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'malformed_event', 'A Notion event must be a JSON object.');
  }
  const id = (body as { id?: unknown }).id;
  const result = deps.store.appendEvent(channel.id, {
    providerEventId: typeof id === 'string' && id.length > 0 ? id : null,
    headers: {},
    body: raw.toString('utf8'),
    receivedAt: deps.now(),
  });
  return result.stored ? { kind: 'stored', sequence: result.sequence } : { kind: 'duplicate' };
}

/**
 * Google Drive push notifications (changes.watch / files.watch). The
 * channel token set when the watch was opened must come back in
 * X-Goog-Channel-Token; it is all in the headers, so this runs before the
 * body is read.
 */
export function authenticateDrive(channel: RelayChannel, req: IncomingMessage): AuthCheck<null> {
  const token = singleHeader(req, 'x-goog-channel-token');
  if (token === undefined || channel.driveToken === null || !safeEqual(token, channel.driveToken)) {
    return refuse(401, 'bad_channel_token', 'X-Goog-Channel-Token is missing or does not match this channel.');
  }
  return { ok: true, delivery: null };
}

/**
 * Stores an authenticated Drive notification. A `sync` resource state is
 * the handshake Google sends when a watch opens: acknowledged and not
 * stored, because it says nothing changed.
 */
export function acceptDrive(deps: IngestDeps, channel: RelayChannel, req: IncomingMessage, raw: Buffer): IngestOutcome {
  const state = singleHeader(req, 'x-goog-resource-state');
  if (!state) throw new HttpError(400, 'missing_resource_state', 'X-Goog-Resource-State header is required.');
  if (state === 'sync') return { kind: 'drive_handshake' };

  const messageNumber = singleHeader(req, 'x-goog-message-number');
  const watchChannelId = singleHeader(req, 'x-goog-channel-id');
  if (!messageNumber || !/^\d+$/.test(messageNumber)) {
    throw new HttpError(400, 'bad_message_number', 'X-Goog-Message-Number must be a number.');
  }
  if (!watchChannelId) throw new HttpError(400, 'missing_channel_id', 'X-Goog-Channel-Id header is required.');

  const headers: Record<string, string> = {};
  for (const name of DRIVE_RECORDED_HEADERS) {
    const value = singleHeader(req, name);
    if (value !== undefined) headers[name] = value;
  }
  const result = deps.store.appendEvent(channel.id, {
    providerEventId: `${watchChannelId}:${messageNumber}`,
    headers,
    body: raw.toString('utf8'),
    receivedAt: deps.now(),
  });
  return result.stored ? { kind: 'stored', sequence: result.sequence } : { kind: 'duplicate' };
}

function refuse(status: number, code: string, message: string): { ok: false; error: HttpError } {
  return { ok: false, error: new HttpError(status, code, message) };
}

function verificationToken(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const token = (body as { verification_token?: unknown }).verification_token;
  return typeof token === 'string' && token.length > 0 ? token : null;
}

function tryParse(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
