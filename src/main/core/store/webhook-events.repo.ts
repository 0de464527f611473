import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import type { WebhookEvent } from '../connectors/types';
import { newId } from '../ids';
import { fromJson, toJson } from './json';

/** Core-only (the UI never sees webhook rows); the SQL CHECK list is tested against it. */
export const WEBHOOK_PROCESSING_STATES = ['received', 'processing', 'processed', 'ignored', 'failed'] as const;
export type WebhookProcessingState = (typeof WEBHOOK_PROCESSING_STATES)[number];

interface WebhookEventRow {
  id: string;
  connector_id: string;
  event_type: string;
  event_source: string;
  event_id: string | null;
  relay_sequence: number | null;
  payload: string;
  headers: string | null;
  processed: number;
  processing_state: WebhookProcessingState;
  processed_at: number | null;
  processing_error: string | null;
  retry_count: number;
  received_at: number;
}

export interface StoredWebhookEvent {
  id: string;
  connectorId: string;
  eventType: string;
  /** `notion` or `google_drive`. */
  eventSource: string;
  /** Provider event id used for deduplication (Notion `id`; Drive `<channel id>:<message number>`). */
  eventId: string | null;
  relaySequence: number | null;
  payload: unknown;
  headers: Record<string, string>;
  processed: boolean;
  processingState: WebhookProcessingState;
  processedAt: number | null;
  processingError: string | null;
  retryCount: number;
  receivedAt: number;
}

export interface NewWebhookEvent {
  connectorId: string;
  eventType: string;
  eventSource: string;
  eventId: string | null;
  relaySequence: number | null;
  payload: unknown;
  headers: Record<string, string>;
  receivedAt: number;
}

function toEvent(row: WebhookEventRow): StoredWebhookEvent {
  return {
    id: row.id,
    connectorId: row.connector_id,
    eventType: row.event_type,
    eventSource: row.event_source,
    eventId: row.event_id,
    relaySequence: row.relay_sequence,
    payload: fromJson(row.payload, null),
    headers: fromJson(row.headers, {}),
    processed: row.processed === 1,
    processingState: row.processing_state,
    processedAt: row.processed_at,
    processingError: row.processing_error,
    retryCount: row.retry_count,
    receivedAt: row.received_at,
  };
}

/** The connector-facing view of a stored event. */
export function toWebhookEvent(event: StoredWebhookEvent): WebhookEvent {
  return {
    eventType: event.eventType,
    eventSource: event.eventSource,
    eventId: event.eventId,
    payload: event.payload,
    headers: event.headers,
  };
}

/** webhook_events: each provider event once, with its processing state. */
export class WebhookEventsRepo {
  private readonly stmts;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      // The partial unique index on (connector_id, event_source, event_id) makes a replay a no-op.
      insert: db.prepare(
        `INSERT INTO webhook_events (id, connector_id, event_type, event_source, event_id, relay_sequence, payload, headers, received_at)
         VALUES (@id, @connectorId, @eventType, @eventSource, @eventId, @relaySequence, @payload, @headers, @receivedAt)
         ON CONFLICT DO NOTHING`,
      ),
      get: db.prepare(`SELECT * FROM webhook_events WHERE id = ?`),
      listByConnector: db.prepare(
        `SELECT * FROM webhook_events WHERE connector_id = ? ORDER BY received_at DESC, rowid DESC LIMIT ?`,
      ),
      listReceived: db.prepare(
        `SELECT * FROM webhook_events WHERE processing_state = 'received' ORDER BY received_at, rowid LIMIT ?`,
      ),
      setState: db.prepare(
        `UPDATE webhook_events
         SET processing_state = @state, processed = @processed, processed_at = @processedAt,
             processing_error = @error, retry_count = @retryCount
         WHERE id = @id`,
      ),
    };
  }

  /** Stores the event unless the same provider event is already stored. Returns the new row id, or null for a duplicate. */
  insertIfNew(event: NewWebhookEvent): string | null {
    const id = newId();
    const result = this.stmts.insert.run({
      id,
      connectorId: event.connectorId,
      eventType: event.eventType,
      eventSource: event.eventSource,
      eventId: event.eventId,
      relaySequence: event.relaySequence,
      payload: toJson(event.payload),
      headers: toJson(event.headers),
      receivedAt: event.receivedAt,
    });
    return result.changes > 0 ? id : null;
  }

  get(id: string): StoredWebhookEvent | undefined {
    const row = this.stmts.get.get(id) as WebhookEventRow | undefined;
    return row && toEvent(row);
  }

  listByConnector(connectorId: string, limit = 100): StoredWebhookEvent[] {
    return (this.stmts.listByConnector.all(connectorId, limit) as WebhookEventRow[]).map(toEvent);
  }

  /** Events stored but not yet picked up by a handler, oldest first (for re-enqueueing after a crash). */
  listReceived(limit = 1000): StoredWebhookEvent[] {
    return (this.stmts.listReceived.all(limit) as WebhookEventRow[]).map(toEvent);
  }

  /** `retryCount` is the number of earlier attempts (queue attempt - 1). */
  markProcessing(id: string, retryCount: number): void {
    this.setState(id, 'processing', null, retryCount);
  }

  markProcessed(id: string, retryCount: number): void {
    this.setState(id, 'processed', null, retryCount);
  }

  markIgnored(id: string, reason: string, retryCount: number): void {
    this.setState(id, 'ignored', reason, retryCount);
  }

  markFailed(id: string, error: string, retryCount: number): void {
    this.setState(id, 'failed', error, retryCount);
  }

  private setState(id: string, state: WebhookProcessingState, error: string | null, retryCount: number): void {
    const finished = state === 'processed' || state === 'ignored';
    this.stmts.setState.run({
      id,
      state,
      processed: finished ? 1 : 0,
      processedAt: finished || state === 'failed' ? this.clock.now() : null,
      error,
      retryCount,
    });
  }
}
