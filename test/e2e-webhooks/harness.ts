import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { Core } from '../../src/main/core/app';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { vectorTableName } from '../../src/main/core/store/embedding-spaces.repo';
import { sql } from '../../src/main/core/db/sql';
import { portOf, startRelay, type RunningRelay } from '../relay/helpers';
import { startTestCore, type TestCore } from '../helpers/test-core';

/** Long-poll window of the test relay: short, so stopping and restarting never waits long. */
const LONG_POLL_MS = 300;

/**
 * The pieces every end-to-end webhook test needs, all over real HTTP on
 * 127.0.0.1: a relay server with its own SQLite file, and a desktop core
 * (relay poller on) whose data folder and keychain outlive a restart, so
 * the tests can take either side offline and bring it back.
 */
export class WebhookWorld {
  relay!: RunningRelay;
  desktop: TestCore | null = null;
  readonly secrets = new MemorySecretStore();
  private readonly root = mkdtempSync(join(tmpdir(), 'trove-e2e-webhooks-'));
  private readonly relayFile = join(this.root, 'relay.sqlite');
  private readonly dataDir = join(this.root, 'desktop');

  get core(): Core {
    if (!this.desktop) throw new Error('the desktop is offline');
    return this.desktop.core;
  }

  async startRelay(port = 0): Promise<void> {
    this.relay = await startRelay({ dataFile: this.relayFile, port, longPollMs: LONG_POLL_MS });
  }

  /** Stops the relay server and starts a new one on the same data file and port. */
  async restartRelay(): Promise<void> {
    const port = portOf(this.relay.url);
    await this.relay.close();
    await this.startRelay(port);
  }

  /**
   * Starts a desktop core on the persistent data folder and keychain, with
   * the relay poller running. The first start also points it at the relay.
   */
  async startDesktop(): Promise<Core> {
    this.desktop = await startTestCore({
      dataDir: this.dataDir,
      core: {
        relay: true,
        secrets: this.secrets,
        logger: silentLogger,
        leaseMs: 5000,
        // Wide enough for a burst of notifications posted at once, short enough for the suite.
        webhookSyncDelayMs: 1000,
      },
    });
    if (!this.core.repos.settings.get<string | null>('relay.url', null)) {
      this.core.repos.settings.set('relay.url', this.relay.url);
    }
    return this.core;
  }

  /** Runs `change` on the desktop's database file while the desktop is offline (e.g. to let time pass). */
  editOfflineDesktop(change: (db: Database) => void): void {
    if (this.desktop) throw new Error('stop the desktop first');
    const db = openDatabase(databaseFile(this.dataDir));
    try {
      change(db);
    } finally {
      db.close();
    }
  }

  /** Closes the desktop core (poller, queue, database); the data folder stays. */
  async stopDesktop(): Promise<void> {
    await this.desktop?.cleanup();
    this.desktop = null;
  }

  async close(): Promise<void> {
    await this.stopDesktop();
    await this.relay?.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Polls `check` until it holds, or fails naming `what` after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Titles of the documents a keyword search finds. */
export async function titlesFor(core: Core, query: string): Promise<string[]> {
  return (await core.search.search({ query, mode: 'keyword', limit: 20 })).groups.map((g) => g.document.title);
}

/** Where a document's chunks live in the index: chunk rows, keyword rows and vectors. */
export interface IndexFootprint {
  chunkIds: number[];
  ftsRows: number;
  vectors: number;
}

/** Counts what the index holds for these chunk ids (pass the ids seen before a deletion). */
export function footprintOf(core: Core, chunkIds: number[]): IndexFootprint {
  const space = core.embeddings.current()?.space ?? expect.unreachable('no embedding space');
  const live = sql`SELECT id FROM imported_doc_chunks WHERE id IN ${sql.list(chunkIds)}`;
  const fts = sql`SELECT count(*) FROM chunks_fts WHERE rowid IN ${sql.list(chunkIds)}`;
  const vec = sql`SELECT count(*) FROM ${sql.ident(vectorTableName(space.id))} WHERE rowid IN ${sql.list(chunkIds)}`;
  return {
    chunkIds: core.db
      .prepare(live.text)
      .pluck()
      .all(...live.params) as number[],
    ftsRows: core.db
      .prepare(fts.text)
      .pluck()
      .get(...fts.params) as number,
    vectors: core.db
      .prepare(vec.text)
      .pluck()
      .get(...vec.params) as number,
  };
}

/** The connector's webhook_events rows in the order the desktop stored them. */
export function storedEvents(
  core: Core,
  connectorId: string,
): Array<{ eventId: string; type: string; state: string; sequence: number }> {
  return core.db
    .prepare(
      `SELECT event_id AS eventId, event_type AS type, processing_state AS state, relay_sequence AS sequence
       FROM webhook_events WHERE connector_id = ? ORDER BY rowid`,
    )
    .all(connectorId) as Array<{ eventId: string; type: string; state: string; sequence: number }>;
}

/** How many sync runs the webhooks of this connector caused (connector_sync_logs rows). */
export function webhookSyncRuns(core: Core, connectorId: string): number {
  return core.db
    .prepare(`SELECT count(*) FROM connector_sync_logs WHERE connector_id = ? AND sync_type = 'webhook'`)
    .pluck()
    .get(connectorId) as number;
}

/** process_webhook jobs created for one stored event. */
export function processWebhookJobs(core: Core, webhookEventRowId: string): number {
  return core.db
    .prepare(
      `SELECT count(*) FROM jobs WHERE type = 'process_webhook' AND json_extract(payload, '$.webhookEventId') = ?`,
    )
    .pluck()
    .get(webhookEventRowId) as number;
}

/** The relay cursor the desktop has committed for a connector's channel. */
export function relayCursor(core: Core, connectorId: string): number {
  return (core.db.prepare(`SELECT last_sequence FROM relay_channels WHERE connector_id = ?`).pluck().get(connectorId) ??
    0) as number;
}

/**
 * Events the relay still holds (not yet acknowledged), from its health
 * endpoint. A fresh connection each time: right after a relay restart,
 * fetch's pool may still hold a socket the old server closed.
 */
export function relayPending(world: WebhookWorld): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${world.relay.url}/healthz`, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve((JSON.parse(body) as { pendingEvents: number }).pendingEvents));
    }).on('error', reject);
  });
}
