import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';

/** Everything the relay can be told. Each field documents its default. */
export interface RelayConfig {
  /** TCP port. Default 8787 (0 picks a free one, for tests). */
  port: number;
  /** Interface to bind. Default 127.0.0.1; behind a reverse proxy on another host set 0.0.0.0 explicitly. */
  host: string;
  /** SQLite file holding channels and undelivered events. Default `./relay-data/relay.sqlite`. */
  dataFile: string;
  /** Public origin providers post to, e.g. `https://relay.example.com`. Default `http://<host>:<port>`. */
  publicBaseUrl: string | null;
  /** Events older than this are deleted even if never acknowledged. Default 7 days. */
  retentionMs: number;
  /** Largest accepted request body. Default 256 KiB. */
  bodyLimitBytes: number;
  /** Per-channel ingest rate: sustained deliveries per second. Default 20. */
  ratePerSecond: number;
  /** Per-channel ingest burst (token bucket size). Default 100. */
  rateBurst: number;
  /**
   * Per-channel budget for deliveries that fail authentication (bad Notion
   * signature, wrong Drive token): sustained refusals per second. Kept apart
   * from the delivery budget, so forged posts never use up the genuine
   * sender's. Default 1.
   */
  failedAuthPerSecond: number;
  /** Burst of the failed-authentication budget; past it such posts get 429. Default 20. */
  failedAuthBurst: number;
  /** A client must finish sending its headers within this. Default 15 s. */
  headersTimeoutMs: number;
  /** A client must finish sending its whole request (headers and body) within this. Default 30 s. */
  requestTimeoutMs: number;
  /** Open connections beyond this are closed at once (and counted in the log). Default 1000. */
  maxConnections: number;
  /** How long a poll waits for events before answering empty. Default 25 s. */
  longPollMs: number;
  /** Channels anyone may create per minute, across all callers. Default 10. */
  channelCreatePerMinute: number;
  /** Burst allowance for channel creation. Default 20. */
  channelCreateBurst: number;
  /** When set, POST /channels requires `Authorization: Bearer <adminToken>`. Default: none (open). */
  adminToken: string | null;
  /** How often expired events are purged. Default 60 s. */
  purgeIntervalMs: number;
  /** Upper bound on waiting for in-flight requests at shutdown. Default 10 s. */
  shutdownGraceMs: number;
}

export const DEFAULT_RELAY_CONFIG: RelayConfig = {
  port: 8787,
  host: '127.0.0.1',
  dataFile: './relay-data/relay.sqlite',
  publicBaseUrl: null,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  bodyLimitBytes: 256 * 1024,
  ratePerSecond: 20,
  rateBurst: 100,
  failedAuthPerSecond: 1,
  failedAuthBurst: 20,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1000,
  longPollMs: 25_000,
  channelCreatePerMinute: 10,
  channelCreateBurst: 20,
  adminToken: null,
  purgeIntervalMs: 60_000,
  shutdownGraceMs: 10_000,
};

/**
 * Reads the configuration from command-line flags, then environment
 * variables, then defaults. The admin token is read from the environment
 * only (RELAY_ADMIN_TOKEN), so it never shows up in `ps`.
 */
export function loadRelayConfig(argv: string[], env: NodeJS.ProcessEnv): RelayConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'public-url': { type: 'string' },
      'retention-hours': { type: 'string' },
      'body-limit': { type: 'string' },
      'rate-per-second': { type: 'string' },
      'rate-burst': { type: 'string' },
      'failed-auth-per-second': { type: 'string' },
      'failed-auth-burst': { type: 'string' },
      'headers-timeout-seconds': { type: 'string' },
      'request-timeout-seconds': { type: 'string' },
      'max-connections': { type: 'string' },
      'long-poll-seconds': { type: 'string' },
      'create-per-minute': { type: 'string' },
      'create-burst': { type: 'string' },
    },
  });
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? env[name] ?? undefined;
  const d = DEFAULT_RELAY_CONFIG;
  const retentionHours = number(pick(values['retention-hours'], 'RELAY_RETENTION_HOURS'), 'retention hours');
  const seconds = (flag: string | undefined, name: string, what: string, fallbackMs: number): number => {
    const value = number(pick(flag, name), what);
    return value === undefined ? fallbackMs : value * 1000;
  };
  const config: RelayConfig = {
    ...d,
    port: integer(pick(values.port, 'RELAY_PORT'), 'port') ?? d.port,
    host: pick(values.host, 'RELAY_HOST') ?? d.host,
    dataFile: pick(values.data, 'RELAY_DATA_FILE') ?? d.dataFile,
    publicBaseUrl: normaliseBaseUrl(pick(values['public-url'], 'RELAY_PUBLIC_URL')),
    retentionMs: retentionHours === undefined ? d.retentionMs : retentionHours * 3_600_000,
    bodyLimitBytes: integer(pick(values['body-limit'], 'RELAY_BODY_LIMIT_BYTES'), 'body limit') ?? d.bodyLimitBytes,
    ratePerSecond: number(pick(values['rate-per-second'], 'RELAY_RATE_PER_SECOND'), 'rate') ?? d.ratePerSecond,
    rateBurst: integer(pick(values['rate-burst'], 'RELAY_RATE_BURST'), 'burst') ?? d.rateBurst,
    failedAuthPerSecond:
      number(pick(values['failed-auth-per-second'], 'RELAY_FAILED_AUTH_PER_SECOND'), 'failed-auth rate') ??
      d.failedAuthPerSecond,
    failedAuthBurst:
      integer(pick(values['failed-auth-burst'], 'RELAY_FAILED_AUTH_BURST'), 'failed-auth burst') ?? d.failedAuthBurst,
    headersTimeoutMs: seconds(
      values['headers-timeout-seconds'],
      'RELAY_HEADERS_TIMEOUT_SECONDS',
      'headers timeout',
      d.headersTimeoutMs,
    ),
    requestTimeoutMs: seconds(
      values['request-timeout-seconds'],
      'RELAY_REQUEST_TIMEOUT_SECONDS',
      'request timeout',
      d.requestTimeoutMs,
    ),
    maxConnections:
      integer(pick(values['max-connections'], 'RELAY_MAX_CONNECTIONS'), 'connection limit') ?? d.maxConnections,
    longPollMs: seconds(values['long-poll-seconds'], 'RELAY_LONG_POLL_SECONDS', 'long-poll seconds', d.longPollMs),
    channelCreatePerMinute:
      number(pick(values['create-per-minute'], 'RELAY_CREATE_PER_MINUTE'), 'channel creations per minute') ??
      d.channelCreatePerMinute,
    channelCreateBurst:
      integer(pick(values['create-burst'], 'RELAY_CREATE_BURST'), 'channel creation burst') ?? d.channelCreateBurst,
    adminToken: env.RELAY_ADMIN_TOKEN && env.RELAY_ADMIN_TOKEN.length > 0 ? env.RELAY_ADMIN_TOKEN : null,
  };
  // Node refuses a headers timeout longer than the request timeout; 0 would switch the slow-client cut-off off.
  if (
    config.requestTimeoutMs <= 0 ||
    config.headersTimeoutMs <= 0 ||
    config.headersTimeoutMs > config.requestTimeoutMs
  ) {
    throw new AppError(
      'VALIDATION',
      `Relay timeouts must be positive, and the headers timeout (${config.headersTimeoutMs / 1000} s) no longer than the request timeout (${config.requestTimeoutMs / 1000} s).`,
    );
  }
  return config;
}

function number(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new AppError('VALIDATION', `Relay ${what} must be a non-negative number, got "${text}".`);
  }
  return value;
}

function integer(text: string | undefined, what: string): number | undefined {
  const value = number(text, what);
  if (value !== undefined && !Number.isInteger(value)) {
    throw new AppError('VALIDATION', `Relay ${what} must be a whole number, got "${text}".`);
  }
  return value;
}

function normaliseBaseUrl(text: string | undefined): string | null {
  if (text === undefined || text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new AppError('VALIDATION', `RELAY_PUBLIC_URL "${text}" is not a URL; use e.g. https://relay.example.com.`, {
      cause,
    });
  }
  return url.toString().replace(/\/+$/, '');
}
