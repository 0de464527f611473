import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { RelayEvent, RelayProvider } from '../shared/relay-protocol';

/**
 * The relay's own SQLite file: channels and the events waiting for their
 * desktop. Deliberately independent of the desktop schema (the relay is
 * deployed alone). Schema changes bump RELAY_SCHEMA_VERSION.
 */
const RELAY_SCHEMA_VERSION = 1;

const SCHEMA = /* sql */ `
CREATE TABLE IF NOT EXISTS channels (
  id                          TEXT PRIMARY KEY,
  provider                    TEXT NOT NULL CHECK (provider IN ('notion', 'drive')),
  poll_secret_hash            TEXT NOT NULL,
  drive_token                 TEXT,
  notion_verification_token   TEXT,
  notion_verification_at      INTEGER,
  next_sequence               INTEGER NOT NULL DEFAULT 1,
  created_at                  INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS events (
  channel_id         TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  sequence           INTEGER NOT NULL,
  provider_event_id  TEXT,
  headers            TEXT NOT NULL,
  body               TEXT NOT NULL,
  received_at        INTEGER NOT NULL,
  PRIMARY KEY (channel_id, sequence)
) STRICT, WITHOUT ROWID;
-- A provider retry of an event still waiting here is stored once.
CREATE UNIQUE INDEX IF NOT EXISTS idx_events_provider_id ON events(channel_id, provider_event_id)
  WHERE provider_event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_events_received ON events(received_at);
`;

export interface RelayChannel {
  id: string;
  provider: RelayProvider;
  pollSecretHash: string;
  driveToken: string | null;
  notionVerificationToken: string | null;
  notionVerificationAt: number | null;
  createdAt: number;
}

interface ChannelRow {
  id: string;
  provider: RelayProvider;
  poll_secret_hash: string;
  drive_token: string | null;
  notion_verification_token: string | null;
  notion_verification_at: number | null;
  created_at: number;
}

interface EventRow {
  sequence: number;
  provider_event_id: string | null;
  headers: string;
  body: string;
  received_at: number;
}

export interface NewEvent {
  providerEventId: string | null;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** Outcome of storing a delivery: its sequence, or `duplicate` when the provider retried one still waiting. */
export type AppendResult = { stored: true; sequence: number } | { stored: false; duplicate: true };

export function openRelayDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > RELAY_SCHEMA_VERSION) {
      throw new Error(
        `Relay data file has schema ${version}; this relay knows ${RELAY_SCHEMA_VERSION}. Update the relay.`,
      );
    }
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${RELAY_SCHEMA_VERSION}`);
    })();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Channels and their pending events. All methods are synchronous (better-sqlite3). */
export class RelayStore {
  private readonly stmts;
  private readonly appendTransaction;

  constructor(db: Database) {
    this.stmts = {
      insertChannel: db.prepare(
        `INSERT INTO channels (id, provider, poll_secret_hash, drive_token, created_at)
         VALUES (@id, @provider, @pollSecretHash, @driveToken, @now)`,
      ),
      getChannel: db.prepare(`SELECT * FROM channels WHERE id = ?`),
      setSecret: db.prepare(`UPDATE channels SET poll_secret_hash = ? WHERE id = ?`),
      deleteChannel: db.prepare(`DELETE FROM channels WHERE id = ?`),
      setVerification: db.prepare(
        `UPDATE channels SET notion_verification_token = @token, notion_verification_at = @at WHERE id = @id`,
      ),
      takeSequence: db.prepare(
        `UPDATE channels SET next_sequence = next_sequence + 1 WHERE id = ? RETURNING next_sequence - 1 AS sequence`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (channel_id, sequence, provider_event_id, headers, body, received_at)
         VALUES (@channelId, @sequence, @providerEventId, @headers, @body, @receivedAt)
         ON CONFLICT DO NOTHING`,
      ),
      hasProviderEvent: db.prepare(`SELECT 1 FROM events WHERE channel_id = ? AND provider_event_id = ?`),
      listEvents: db.prepare(
        `SELECT sequence, provider_event_id, headers, body, received_at FROM events
         WHERE channel_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`,
      ),
      ack: db.prepare(`DELETE FROM events WHERE channel_id = ? AND sequence <= ?`),
      purge: db.prepare(`DELETE FROM events WHERE received_at < ?`),
      countEvents: db.prepare(`SELECT COUNT(*) AS n FROM events`),
    };
    // Compiled once: building a transaction wrapper per delivery shows up in profiles.
    this.appendTransaction = db.transaction((channelId: string, event: NewEvent): AppendResult => {
      if (event.providerEventId !== null && this.stmts.hasProviderEvent.get(channelId, event.providerEventId)) {
        return { stored: false, duplicate: true };
      }
      const taken = this.stmts.takeSequence.get(channelId) as { sequence: number } | undefined;
      if (!taken) throw new Error('channel vanished while storing an event');
      this.stmts.insertEvent.run({
        channelId,
        sequence: taken.sequence,
        providerEventId: event.providerEventId,
        headers: JSON.stringify(event.headers),
        body: event.body,
        receivedAt: event.receivedAt,
      });
      return { stored: true, sequence: taken.sequence };
    });
  }

  createChannel(input: {
    id: string;
    provider: RelayProvider;
    pollSecretHash: string;
    driveToken: string | null;
    now: number;
  }): void {
    this.stmts.insertChannel.run(input);
  }

  getChannel(id: string): RelayChannel | undefined {
    const row = this.stmts.getChannel.get(id) as ChannelRow | undefined;
    return (
      row && {
        id: row.id,
        provider: row.provider,
        pollSecretHash: row.poll_secret_hash,
        driveToken: row.drive_token,
        notionVerificationToken: row.notion_verification_token,
        notionVerificationAt: row.notion_verification_at,
        createdAt: row.created_at,
      }
    );
  }

  setPollSecretHash(id: string, hash: string): void {
    this.stmts.setSecret.run(hash, id);
  }

  /** Removes the channel and, by cascade, its waiting events. */
  deleteChannel(id: string): boolean {
    return this.stmts.deleteChannel.run(id).changes > 0;
  }

  /** Stores (or, with `token` null, clears) the Notion verification token. */
  setNotionVerification(id: string, token: string | null, at: number | null): void {
    this.stmts.setVerification.run({ id, token, at });
  }

  /**
   * Stores one delivery under the channel's next sequence. The duplicate
   * check and the sequence bump share one transaction so sequences have no
   * gaps from retries.
   */
  appendEvent(channelId: string, event: NewEvent): AppendResult {
    return this.appendTransaction.immediate(channelId, event);
  }

  listEvents(channelId: string, provider: RelayProvider, after: number, limit: number): RelayEvent[] {
    return (this.stmts.listEvents.all(channelId, after, limit) as EventRow[]).map((row) => ({
      sequence: row.sequence,
      provider,
      eventId: row.provider_event_id,
      receivedAt: row.received_at,
      headers: JSON.parse(row.headers) as Record<string, string>,
      body: row.body,
    }));
  }

  /** Drops events the desktop has stored. Returns how many were dropped. */
  ack(channelId: string, upTo: number): number {
    return this.stmts.ack.run(channelId, upTo).changes;
  }

  /** Drops events received before `before` (retention). Returns how many. */
  purgeOlderThan(before: number): number {
    return this.stmts.purge.run(before).changes;
  }

  pendingEventCount(): number {
    return (this.stmts.countEvents.get() as { n: number }).n;
  }
}
