import type { z } from 'zod';
import { AppError, type ErrorCode } from '../../../shared/errors';
import {
  channelInfoSchema,
  createdChannelSchema,
  eventsPageSchema,
  notionVerificationSchema,
  relayErrorSchema,
  rotatedSecretSchema,
  type ChannelInfo,
  type CreatedChannel,
  type NotionVerification,
  type RelayEvent,
  type RelayProvider,
} from '../../../shared/relay-protocol';

/** Plain calls (ten seconds at most) give up after this long. */
const CALL_TIMEOUT_MS = 10_000;
/** Extra time on top of the long-poll window before a poll is considered hung. */
const POLL_GRACE_MS = 15_000;

/**
 * Typed HTTP calls to one relay. Every failure becomes an AppError whose
 * `details.status` is the HTTP status (0 when the relay could not be reached).
 * Secrets travel only in the Authorization header and never appear in errors.
 */
export class RelayApi {
  private readonly base: string;

  constructor(
    private readonly fetchImpl: typeof fetch,
    baseUrl: string,
    private readonly adminToken: string | null = null,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  createChannel(provider: RelayProvider): Promise<CreatedChannel> {
    return this.call('POST', '/channels', this.adminToken, createdChannelSchema, { provider });
  }

  channelInfo(channelId: string, pollSecret: string): Promise<ChannelInfo> {
    return this.call('GET', `/channels/${enc(channelId)}`, pollSecret, channelInfoSchema);
  }

  async rotateSecret(channelId: string, pollSecret: string): Promise<string> {
    return (await this.call('POST', `/channels/${enc(channelId)}/rotate`, pollSecret, rotatedSecretSchema)).pollSecret;
  }

  async deleteChannel(channelId: string, pollSecret: string): Promise<void> {
    await this.call('DELETE', `/channels/${enc(channelId)}`, pollSecret, null);
  }

  notionVerification(channelId: string, pollSecret: string): Promise<NotionVerification> {
    return this.call('GET', `/channels/${enc(channelId)}/notion-verification`, pollSecret, notionVerificationSchema);
  }

  async resetNotionVerification(channelId: string, pollSecret: string): Promise<void> {
    await this.call('DELETE', `/channels/${enc(channelId)}/notion-verification`, pollSecret, null);
  }

  /** Long-polls for events after `after`; resolves with an empty list when the window passes. */
  async events(
    channelId: string,
    pollSecret: string,
    options: { after: number; limit: number; waitSeconds: number; signal?: AbortSignal },
  ): Promise<RelayEvent[]> {
    const query = `after=${options.after}&limit=${options.limit}&wait=${options.waitSeconds}`;
    const page = await this.call(
      'GET',
      `/channels/${enc(channelId)}/events?${query}`,
      pollSecret,
      eventsPageSchema,
      undefined,
      {
        timeoutMs: options.waitSeconds * 1000 + POLL_GRACE_MS,
        signal: options.signal,
      },
    );
    return page.events;
  }

  async ack(channelId: string, pollSecret: string, upTo: number): Promise<void> {
    await this.call('POST', `/channels/${enc(channelId)}/ack`, pollSecret, null, { upTo });
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    bearer: string | null,
    schema: S | null,
    body?: unknown,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<z.infer<S>> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetchImpl(this.base + path, {
        method,
        signal,
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      if (options.signal?.aborted) throw new AppError('CANCELLED', 'The relay request was cancelled.', { cause });
      throw new AppError(
        'UNAVAILABLE',
        `The relay at ${this.base} could not be reached; check the relay URL and that it is running.`,
        {
          cause,
          details: { status: 0 },
        },
      );
    }
    const text = await response.text();
    if (!response.ok) throw this.failure(response.status, text);
    if (schema === null) return undefined as z.infer<S>;
    const parsed = schema.safeParse(text === '' ? null : safeJson(text));
    if (!parsed.success) {
      throw new AppError(
        'INTERNAL',
        `The relay at ${this.base} answered ${method} ${routeOf(path)} with an unexpected body.`,
        {
          details: { status: response.status },
        },
      );
    }
    return parsed.data;
  }

  private failure(status: number, text: string): AppError {
    const parsed = relayErrorSchema.safeParse(safeJson(text));
    const relayMessage = parsed.success ? parsed.data.error.message : `HTTP ${status}`;
    const code: ErrorCode =
      status === 401 || status === 403
        ? 'CONNECTOR_AUTH'
        : status === 404
          ? 'NOT_FOUND'
          : status === 429
            ? 'RATE_LIMITED'
            : status === 400 || status === 413
              ? 'VALIDATION'
              : status === 409
                ? 'CONFLICT'
                : 'UNAVAILABLE';
    return new AppError(code, `Relay refused the request: ${relayMessage}`, {
      details: { status, relayCode: parsed.success ? parsed.data.error.code : undefined },
    });
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** The path without ids or query, for messages. */
function routeOf(path: string): string {
  return path.replace(/\/channels\/[^/?]+/, '/channels/:id').replace(/\?.*$/, '');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
