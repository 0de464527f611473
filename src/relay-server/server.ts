import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from 'better-sqlite3';
import { guardConnections } from '../node-shared/http/connection-guard';
import { parseRequestTarget, type RequestTarget } from '../node-shared/http/request-target';
import type { Logger } from '../node-shared/logger';
import {
  ackEvents,
  authorise,
  channelInfo,
  createChannel,
  deleteChannel,
  notionVerification,
  pollEvents,
  resetNotionVerification,
  rotateSecret,
  type ChannelRouteDeps,
} from './channel-routes';
import type { RelayConfig } from './config';
import { EventWaiters } from './event-waiters';
import { receiveHook } from './hook-routes';
import { errorSummary, HttpError, sendJson } from './http-io';
import type { RelayProvider } from '../shared/relay-protocol';
import { openRelayDatabase, RelayStore } from './relay-store';
import { TokenBuckets } from './token-bucket';

export interface RelayServerOptions {
  config: RelayConfig;
  logger: Logger;
  /** Epoch ms; injectable so retention can be tested. Default Date.now. */
  now?: () => number;
}

export interface RelayServer {
  /** Starts listening; resolves with the bound origin, e.g. http://127.0.0.1:8787. */
  listen(): Promise<string>;
  /** The origin webhook URLs are built from. */
  publicBaseUrl(): string;
  /**
   * Graceful stop: refuse new connections, answer waiting long-polls with
   * empty lists, let in-flight requests finish (up to shutdownGraceMs), then
   * close the database. Safe to call twice.
   */
  close(): Promise<void>;
  /** Deletes events past retention now (also runs every purgeIntervalMs). */
  purgeExpired(): number;
  readonly store: RelayStore;
}

/** What the access log says about a request (never its body, headers or a malformed target). */
interface RequestMeta {
  route: string;
  provider?: string;
  outcome?: string;
}

const ROUTE_NAMES: Record<string, string> = {
  'GET /': 'channel_info',
  'DELETE /': 'delete_channel',
  'POST /rotate': 'rotate_secret',
  'GET /events': 'poll',
  'POST /ack': 'ack',
  'GET /notion-verification': 'notion_verification',
  'DELETE /notion-verification': 'reset_notion_verification',
};

const CHANNEL_PATH = /^\/channels\/([A-Za-z0-9_-]{1,64})(\/[a-z-]+)?$/;
const HOOK_PATH = /^\/hooks\/([A-Za-z0-9_-]{1,64})\/(notion|drive)$/;
/** Paths are logged only once parsed, and cut here (a target may be up to the 16 KiB header limit). */
const LOGGED_PATH_CHARS = 200;

/** Builds the relay: one SQLite file, node:http, no framework. */
export function createRelayServer(options: RelayServerOptions): RelayServer {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const db: Database = openRelayDatabase(config.dataFile);
  const store = new RelayStore(db);
  const waiters = new EventWaiters();
  const deliveryBuckets = new TokenBuckets(config.ratePerSecond, config.rateBurst, now);
  const failedAuthBuckets = new TokenBuckets(config.failedAuthPerSecond, config.failedAuthBurst, now);
  const createBuckets = new TokenBuckets(config.channelCreatePerMinute / 60, config.channelCreateBurst, now);
  let server: Server | null = null;
  let boundOrigin: string | null = null;
  let shuttingDown = false;
  let closing: Promise<void> | null = null;
  let inFlight = 0;
  let idle: (() => void) | null = null;
  let purgeTimer: ReturnType<typeof setInterval> | null = null;

  const publicBaseUrl = (): string => config.publicBaseUrl ?? boundOrigin ?? `http://${config.host}:${config.port}`;
  const routeDeps: ChannelRouteDeps = {
    config,
    store,
    waiters,
    deliveryBuckets,
    failedAuthBuckets,
    createBuckets,
    now,
    publicBaseUrl,
    isShuttingDown: () => shuttingDown,
  };

  async function route(req: IncomingMessage, res: ServerResponse, target: RequestTarget, meta: RequestMeta) {
    const method = req.method ?? 'GET';
    const path = target.path;
    if (path === '/healthz') {
      meta.route = 'healthz';
      allowOnly(method, ['GET']);
      sendJson(res, 200, { status: 'ok', pendingEvents: store.pendingEventCount(), waitingPolls: waiters.size });
      return;
    }
    if (path === '/channels') {
      meta.route = 'create_channel';
      allowOnly(method, ['POST']);
      return createChannel(routeDeps, req, res);
    }
    const hook = HOOK_PATH.exec(path);
    if (hook) {
      meta.route = 'hook';
      meta.provider = hook[2];
      allowOnly(method, ['POST']);
      const outcome = await receiveHook(routeDeps, req, res, hook[1]!, hook[2] as RelayProvider);
      meta.outcome = outcome.kind;
      return;
    }
    const channelMatch = CHANNEL_PATH.exec(path);
    if (channelMatch) {
      const channelId = channelMatch[1]!;
      const subPath = channelMatch[2] ?? '/';
      const action = `${method} ${subPath}`;
      const routeName = ROUTE_NAMES[action];
      if (!routeName) {
        const allowed = Object.keys(ROUTE_NAMES)
          .filter((key) => key.endsWith(` ${subPath}`))
          .map((key) => key.split(' ')[0]!);
        if (allowed.length > 0) allowOnly(method, allowed);
        throw new HttpError(404, 'not_found', 'No such endpoint.');
      }
      meta.route = routeName;
      const channel = authorise(routeDeps, req, channelId);
      switch (action) {
        case 'GET /':
          return channelInfo(routeDeps, channel, res);
        case 'DELETE /':
          return deleteChannel(routeDeps, channel, res);
        case 'POST /rotate':
          return rotateSecret(routeDeps, channel, res);
        case 'GET /events':
          return pollEvents(routeDeps, channel, target.query, res);
        case 'POST /ack':
          return ackEvents(routeDeps, channel, req, res);
        case 'GET /notion-verification':
          return notionVerification(channel, res);
        default:
          return resetNotionVerification(routeDeps, channel, res);
      }
    }
    throw new HttpError(404, 'not_found', 'No such endpoint.');
  }

  /**
   * The error boundary: everything a request can do, from parsing its
   * target to writing the answer, runs inside this try. A refusal is a 4xx
   * with a machine code; anything else is a logged 500; neither ends the process.
   */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    inFlight++;
    const meta: RequestMeta = { route: 'unknown' };
    let code: string | undefined;
    let path: string | undefined;
    try {
      if (shuttingDown)
        throw new HttpError(503, 'shutting_down', 'The relay is restarting; retry shortly.', { connection: 'close' });
      const parsed = parseRequestTarget(req.url);
      if (!parsed.ok) throw new HttpError(400, parsed.refusal.code, parsed.refusal.message);
      path = parsed.target.path.slice(0, LOGGED_PATH_CHARS);
      // HTTP/1.1 requires Host; the relay ignores it otherwise, but a request without one is not well-formed.
      if (req.httpVersion === '1.1' && req.headers.host === undefined)
        throw new HttpError(400, 'missing_host', 'An HTTP/1.1 request needs a Host header.');
      await route(req, res, parsed.target, meta);
    } catch (error) {
      code = answerError(req, res, error, meta);
    } finally {
      inFlight--;
      logRequest(req, res, { meta, path, code, ms: Math.round(performance.now() - started) });
      if (inFlight === 0 && idle) idle();
    }
  }

  /** Sends the refusal for `error` (unless the client is gone) and returns its log code. */
  function answerError(req: IncomingMessage, res: ServerResponse, error: unknown, meta: RequestMeta): string {
    if (error instanceof HttpError) {
      if (!res.headersSent)
        sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
      // A refused upload may still be streaming: drop the connection once the answer is out.
      if (error.status === 413) res.once('finish', () => req.destroy());
      return error.code;
    }
    // The client hung up (or its framing broke and the connection guard answered) before the body was read.
    if (req.destroyed && !res.headersSent) return 'client_aborted';
    logger.error('request failed', { route: meta.route, error: errorSummary(error) });
    if (!res.headersSent)
      sendJson(res, 500, { error: { code: 'internal', message: 'The relay failed; see its logs.' } });
    return 'internal';
  }

  function logRequest(
    req: IncomingMessage,
    res: ServerResponse,
    entry: { meta: RequestMeta; path: string | undefined; code: string | undefined; ms: number },
  ): void {
    const { meta, path, code, ms } = entry;
    const answered = res.headersSent;
    const fields = {
      method: req.method,
      ...(path === undefined ? {} : { path }),
      route: meta.route,
      ...(meta.provider ? { provider: meta.provider } : {}),
      ...(meta.outcome ? { outcome: meta.outcome } : {}),
      ...(answered ? { status: res.statusCode } : { aborted: true }),
      ms,
      bytesIn: Number(req.headers['content-length'] ?? 0),
      ...(code ? { code } : {}),
    };
    // Bodies, Authorization headers and malformed targets are never logged.
    if (answered && res.statusCode >= 500) logger.error('request', fields);
    else if (!answered || res.statusCode >= 400) logger.warn('request', fields);
    else logger.debug('request', fields);
  }

  /** Retention sweep; a failure (e.g. a locked file) is logged and retried at the next tick. */
  function purgeSafely(): number {
    try {
      const count = store.purgeOlderThan(now() - config.retentionMs);
      if (count > 0) logger.info('expired events purged', { count });
      return count;
    } catch (error) {
      logger.error('purging expired events failed', { error: (error as Error).message });
      return 0;
    }
  }

  return {
    store,
    publicBaseUrl,
    purgeExpired: () => store.purgeOlderThan(now() - config.retentionMs),

    listen() {
      return new Promise((resolve, reject) => {
        const srv = createServer(
          {
            // Only a long-poll's answer waits, never its request: a client that dribbles
            // its headers or body (slowloris) is cut off (408) after these...
            headersTimeout: config.headersTimeoutMs,
            requestTimeout: config.requestTimeoutMs,
            // ...checked every second rather than Node's default 30 s.
            connectionsCheckingInterval: 1000,
            // Answered by the handler with a logged 400 instead of Node's silent one.
            requireHostHeader: false,
          },
          (req, res) => {
            handle(req, res).catch((error: unknown) => {
              // Only logging itself can get here; the connection is dropped rather than left hanging.
              logger.error('request handler failed', { error: errorSummary(error) });
              req.socket.destroy();
            });
          },
        );
        srv.maxConnections = config.maxConnections;
        guardConnections(srv, { logger, errorBody: (code, message) => ({ error: { code, message } }) });
        srv.once('error', reject);
        srv.listen(config.port, config.host, () => {
          srv.off('error', reject);
          const address = srv.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          boundOrigin = `http://${host}:${address.port}`;
          server = srv;
          const purged = purgeSafely();
          purgeTimer = setInterval(purgeSafely, config.purgeIntervalMs);
          purgeTimer.unref();
          logger.info('relay listening', {
            origin: boundOrigin,
            publicBaseUrl: publicBaseUrl(),
            purgedAtStart: purged,
          });
          resolve(boundOrigin);
        });
      });
    },

    close() {
      closing ??= (async () => {
        shuttingDown = true;
        if (purgeTimer) clearInterval(purgeTimer);
        const stopped = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
        waiters.closeAll();
        server?.closeIdleConnections();
        if (inFlight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => (idle = resolve)),
            new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref()),
          ]);
        }
        server?.closeAllConnections();
        await stopped;
        db.close();
        logger.info('relay stopped');
      })();
      return closing;
    },
  };
}

/** 405 with an Allow header when `method` is not one of `allowed`. */
function allowOnly(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) {
    throw new HttpError(405, 'method_not_allowed', `This endpoint accepts ${allowed.join(', ')} only.`, {
      allow: allowed.join(', '),
    });
  }
}
