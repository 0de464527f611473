import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../main/core/logger';
import {
  ackEvents,
  authorise,
  channelInfo,
  createChannel,
  deleteChannel,
  notionVerification,
  pollEvents,
  rateLimited,
  resetNotionVerification,
  rotateSecret,
  type ChannelRouteDeps,
} from './channel-routes';
import type { RelayConfig } from './config';
import { EventWaiters } from './event-waiters';
import { HttpError, readBody, sendJson } from './http-io';
import { ingestDrive, ingestNotion, type IngestOutcome } from './ingest';
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

/** What the access log says about a request (never its body or headers). */
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

/** Builds the relay: one SQLite file, node:http, no framework. */
export function createRelayServer(options: RelayServerOptions): RelayServer {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const db: Database = openRelayDatabase(config.dataFile);
  const store = new RelayStore(db);
  const waiters = new EventWaiters();
  const ingestBuckets = new TokenBuckets(config.ratePerSecond, config.rateBurst, now);
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
    ingestBuckets,
    createBuckets,
    now,
    publicBaseUrl,
    isShuttingDown: () => shuttingDown,
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, meta: RequestMeta): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/healthz' && method === 'GET') {
      meta.route = 'healthz';
      sendJson(res, 200, { status: 'ok', pendingEvents: store.pendingEventCount(), waitingPolls: waiters.size });
      return;
    }
    if (path === '/channels' && method === 'POST') {
      meta.route = 'create_channel';
      return createChannel(routeDeps, req, res);
    }
    const hook = HOOK_PATH.exec(path);
    if (hook && method !== 'POST') {
      throw new HttpError(405, 'method_not_allowed', 'Webhook endpoints accept POST only.', { allow: 'POST' });
    }
    if (hook) {
      meta.route = 'hook';
      meta.provider = hook[2];
      return ingest(req, res, hook[1]!, hook[2] as 'notion' | 'drive', meta);
    }
    const channelMatch = CHANNEL_PATH.exec(path);
    if (channelMatch) {
      const channelId = channelMatch[1]!;
      const action = `${method} ${channelMatch[2] ?? '/'}`;
      const routeName = ROUTE_NAMES[action];
      if (!routeName) throw new HttpError(404, 'not_found', 'No such endpoint.');
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
          return pollEvents(routeDeps, channel, url, res);
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

  async function ingest(
    req: IncomingMessage,
    res: ServerResponse,
    channelId: string,
    provider: 'notion' | 'drive',
    meta: RequestMeta,
  ): Promise<void> {
    const channel = store.getChannel(channelId);
    if (!channel || channel.provider !== provider)
      throw new HttpError(404, 'unknown_channel', 'No such channel on this relay.');
    const retryMs = ingestBuckets.take(channel.id);
    if (retryMs > 0) throw rateLimited(retryMs);
    const raw = await readBody(req, config.bodyLimitBytes);
    const deps = { store, now };
    const outcome: IngestOutcome =
      provider === 'notion' ? ingestNotion(deps, channel, req, raw) : ingestDrive(deps, channel, req, raw);
    if (outcome.kind === 'stored') waiters.notify(channel.id);
    meta.outcome = outcome.kind;
    sendJson(res, 200, {
      ok: true,
      ...(outcome.kind === 'stored' ? { sequence: outcome.sequence } : { outcome: outcome.kind }),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    inFlight++;
    const meta: RequestMeta = { route: 'unknown' };
    let code: string | undefined;
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    try {
      if (shuttingDown)
        throw new HttpError(503, 'shutting_down', 'The relay is restarting; retry shortly.', { connection: 'close' });
      await route(req, res, url, meta);
    } catch (error) {
      if (error instanceof HttpError) {
        code = error.code;
        if (!res.headersSent)
          sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
        // A refused upload may still be streaming: drop the connection once the answer is out.
        if (error.status === 413) res.once('finish', () => req.destroy());
      } else {
        code = 'internal';
        logger.error('request failed', { method: req.method, path: url.pathname, error: (error as Error).message });
        if (!res.headersSent)
          sendJson(res, 500, { error: { code: 'internal', message: 'The relay failed; see its logs.' } });
      }
    } finally {
      inFlight--;
      const fields = {
        method: req.method,
        path: url.pathname,
        route: meta.route,
        ...(meta.provider ? { provider: meta.provider } : {}),
        ...(meta.outcome ? { outcome: meta.outcome } : {}),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        bytesIn: Number(req.headers['content-length'] ?? 0),
        ...(code ? { code } : {}),
      };
      // Bodies and Authorization headers are never logged.
      if (res.statusCode >= 500) logger.error('request', fields);
      else if (res.statusCode >= 400) logger.warn('request', fields);
      else logger.debug('request', fields);
      if (inFlight === 0 && idle) idle();
    }
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
        const srv = createServer((req, res) => void handle(req, res));
        // Only a long-poll's answer waits, never its request: a client that dribbles
        // its headers or body (slowloris) is cut off after these.
        srv.headersTimeout = 15_000;
        srv.requestTimeout = 30_000;
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
