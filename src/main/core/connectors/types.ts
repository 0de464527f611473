import type { ConnectorStatus, ConnectorType } from '../../../shared/contract/common';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { SecretStore } from '../secrets/secret-store';

/**
 * The connector contract (CONTRIBUTING.md: adding a connector). A connector talks to one
 * source and reports changes as batches; it never touches the store or the
 * queue. The sync_connector handler owns persistence.
 */
/** Defined once, in the contract. */
export type { ConnectorStatus, ConnectorType };

export interface ConnectorConfig {
  id: string;
  type: ConnectorType;
  name: string;
  /** Connector-specific, non-secret settings (validated by the connector's own schema). */
  settings: Record<string, unknown>;
  status: ConnectorStatus;
  syncCursor: unknown;
  lastSyncAt: number | null;
}

/** Content as a source hands it over. Bytes go through the parsers; text may too (HTML, CSV). */
export type DocumentContent =
  | { kind: 'text'; text: string; mimeType: string }
  | {
      kind: 'bytes';
      bytes: Uint8Array;
      mimeType: string;
      fileName: string;
      /**
       * Set when `bytes` is an e-mail message and the document is one of its
       * attachments: the attachment's MIME part number (`2`, `1.3`). The
       * parser reads the attachment out of the message and parses it as the
       * file `fileName` names. Messages and their attachments are split this
       * way so the attachment is decoded in a parser thread, not by the connector.
       */
      part?: string;
    };

export interface SourceDocument {
  /** Stable id within the connector: a path relative to the root, a Drive file id, a Notion page id. */
  externalId: string;
  title: string;
  mimeType: string;
  /** A link or absolute path that opens the original. */
  sourceUrl?: string;
  /**
   * Changes whenever the content changes: a sha256 of the bytes, or a
   * provider revision (Drive md5Checksum / version, Notion last_edited_time
   * plus block hash). The handler skips documents whose hash it already has.
   */
  contentHash: string;
  sizeBytes?: number;
  /** Epoch ms of the last change at the source. */
  modifiedAt?: number;
  metadata: Record<string, unknown>;
  /**
   * When set, the document is recorded as `skipped` with this reason (a
   * folder, an unsupported type, over the size limit) and `load` is not called.
   */
  skipReason?: string;
  /** Fetches the content; called only for documents that need (re)processing. */
  load(signal: AbortSignal): Promise<DocumentContent>;
}

export interface SyncBatch {
  upserts: SourceDocument[];
  /** External ids that no longer exist or are no longer visible. */
  deletions: string[];
}

/** What the handler already has for a document, so connectors can skip unchanged ones. */
export interface KnownDocument {
  externalId: string;
  contentHash: string | null;
  sizeBytes: number | null;
  modifiedAt: number | null;
  metadata: Record<string, unknown>;
}

export interface SyncProgress {
  /** Items examined so far. */
  processed: number;
  /** Total when known. */
  total?: number;
  message?: string;
}

/** Counters the connector increments; they end up on the sync log row. */
export interface SyncStats {
  apiCalls: number;
  bytesTransferred: number;
}

export interface SyncOptions {
  mode: 'full' | 'incremental';
  /** The cursor saved by the last completed sync, or null. */
  cursor: unknown;
  signal: AbortSignal;
  /** Stop after this many upserts (for previews and tests). */
  limit?: number;
  /** Restrict the sync to these external ids (used by webhooks). */
  onlyExternalIds?: string[];
  /**
   * Imports only: scan these of the connector's paths (the ones just added),
   * not every path ever imported. Incremental, so nothing else is touched.
   */
  roots?: string[];
  known: {
    get(externalId: string): KnownDocument | undefined;
    /** Every external id currently stored (not deleted), for deletion detection on full listings. */
    ids(): Iterable<string>;
  };
  progress(progress: SyncProgress): void;
  stats: SyncStats;
}

export interface SyncResult {
  /** Saved by the handler only when the whole run completed. */
  cursor: unknown;
}

/** A provider event as stored in webhook_events, handed to the connector to interpret. */
export interface WebhookEvent {
  eventType: string;
  eventSource: string;
  eventId: string | null;
  payload: unknown;
  headers: Record<string, string>;
}

export type WebhookAction =
  | { kind: 'upsert'; externalIds: string[] }
  | { kind: 'delete'; externalIds: string[] }
  | { kind: 'sync'; mode: 'incremental' | 'full' }
  | { kind: 'ignore'; reason: string };

export interface Connector {
  readonly type: ConnectorType;
  readonly supportsWebhooks: boolean;
  /** Throws AppError CONNECTOR_AUTH / UNAVAILABLE with a message a person can act on. */
  testConnection(signal?: AbortSignal): Promise<void>;
  /**
   * Yields batches of changes. The returned value (the generator's return)
   * carries the new cursor, which the handler saves only after the last batch.
   */
  sync(options: SyncOptions): AsyncGenerator<SyncBatch, SyncResult, void>;
  handleWebhook(event: WebhookEvent): Promise<WebhookAction[]>;
}

/** Ports a connector may use; `app.ts` builds them. */
export interface ConnectorContext {
  config: ConnectorConfig;
  secrets: SecretStore;
  fetch: typeof fetch;
  logger: Logger;
  clock: Clock;
  /** Report a status change (e.g. `disconnected` after a revoked token). */
  setStatus?(status: ConnectorStatus, error?: string): void;
}

export type ConnectorFactory = (context: ConnectorContext) => Connector;
