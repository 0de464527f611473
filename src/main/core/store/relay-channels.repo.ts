import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { fromJson, toJson } from './json';

interface RelayChannelRow {
  connector_id: string;
  relay_url: string;
  channel_id: string;
  webhook_url: string;
  last_sequence: number;
  provider_state: string;
  created_at: number;
  updated_at: number;
}

/** The desktop's record of a relay channel. The poll secret is in the keychain, never here. */
export interface StoredRelayChannel {
  connectorId: string;
  /** Origin of the relay the channel lives on; a different configured relay means a new channel. */
  relayUrl: string;
  channelId: string;
  webhookUrl: string;
  /** Highest relay sequence stored in webhook_events; polling resumes after it. */
  lastSequence: number;
  /** Provider bookkeeping, e.g. the open Drive watch (see DriveWatchRenewer). */
  providerState: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

function toChannel(row: RelayChannelRow): StoredRelayChannel {
  return {
    connectorId: row.connector_id,
    relayUrl: row.relay_url,
    channelId: row.channel_id,
    webhookUrl: row.webhook_url,
    lastSequence: row.last_sequence,
    providerState: fromJson(row.provider_state, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** relay_channels: one row per webhook-capable connector. */
export class RelayChannelsRepo {
  private readonly stmts;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      get: db.prepare(`SELECT * FROM relay_channels WHERE connector_id = ?`),
      list: db.prepare(`SELECT * FROM relay_channels ORDER BY created_at, connector_id`),
      // A new channel starts its sequence over, so the cursor resets with it.
      upsert: db.prepare(
        `INSERT INTO relay_channels (connector_id, relay_url, channel_id, webhook_url, last_sequence, provider_state, created_at, updated_at)
         VALUES (@connectorId, @relayUrl, @channelId, @webhookUrl, 0, '{}', @now, @now)
         ON CONFLICT (connector_id) DO UPDATE SET
           relay_url = excluded.relay_url, channel_id = excluded.channel_id, webhook_url = excluded.webhook_url,
           last_sequence = 0, provider_state = '{}', updated_at = excluded.updated_at`,
      ),
      advance: db.prepare(
        `UPDATE relay_channels SET last_sequence = MAX(last_sequence, @sequence), updated_at = @now
         WHERE connector_id = @connectorId AND channel_id = @channelId`,
      ),
      setState: db.prepare(
        `UPDATE relay_channels SET provider_state = @state, updated_at = @now WHERE connector_id = @connectorId`,
      ),
      remove: db.prepare(`DELETE FROM relay_channels WHERE connector_id = ?`),
    };
  }

  get(connectorId: string): StoredRelayChannel | undefined {
    const row = this.stmts.get.get(connectorId) as RelayChannelRow | undefined;
    return row && toChannel(row);
  }

  list(): StoredRelayChannel[] {
    return (this.stmts.list.all() as RelayChannelRow[]).map(toChannel);
  }

  /** Records a freshly created channel (replacing any previous one), cursor at 0. */
  save(input: { connectorId: string; relayUrl: string; channelId: string; webhookUrl: string }): StoredRelayChannel {
    this.stmts.upsert.run({ ...input, now: this.clock.now() });
    return this.get(input.connectorId)!;
  }

  /**
   * Moves the cursor forward (never back). Scoped to `channelId` so a poll
   * that finishes after the channel was replaced cannot move the new cursor.
   */
  advance(connectorId: string, channelId: string, sequence: number): void {
    this.stmts.advance.run({ connectorId, channelId, sequence, now: this.clock.now() });
  }

  setProviderState(connectorId: string, state: Record<string, unknown>): void {
    this.stmts.setState.run({ connectorId, state: toJson(state), now: this.clock.now() });
  }

  remove(connectorId: string): boolean {
    return this.stmts.remove.run(connectorId).changes > 0;
  }
}
