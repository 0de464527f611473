import type { QuantizedIndexPolicy } from './search/quantized-index';
import type { Database } from 'better-sqlite3';
import type { Clock } from './clock';
import type { ConnectorRegistry } from './connectors/registry';
import type { ModelManager } from './embeddings/model-manager';
import type { Queue } from './handlers';
import type { Logger } from './logger';
import type { StageTimer } from './metrics/stage-timer';
import type { OcrSettings } from './ocr/ocr-settings';
import type { WaitUntilIdleOptions } from './queue';
import type { RelayClient } from './relay-client/relay-client';
import type { SearchService } from './search/search.service';
import type { SecretStore } from './secrets/secret-store';
import type { ConnectorService } from './services/connector.service';
import type { CoreEvents } from './services/core-events';
import type { EmbeddingService } from './services/embedding.service';
import type { RunTracker } from './services/run-tracker';
import type { StorageHealth } from './services/storage-health';
import type { SyncRequest } from './services/sync-requests';
import type { Repos } from './store/repos';

export type { Queue } from './handlers';

export interface CoreOptions {
  /** Where trove.db and downloaded models live. Created if missing. */
  dataDir: string;
  /** Default: the OS keychain (keytar). */
  secrets?: SecretStore;
  logger?: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
  /**
   * Run background work in this process: queue workers, folder watchers, the
   * relay poller, embedder loading. Default true. `trove status` passes false.
   */
  background?: boolean;
  /** Most jobs running at once. Default 36 (32 of them indexing documents, see process_imported_doc). */
  concurrency?: number;
  /** Job lease; a crashed process's jobs return to the queue after it. Default 30000 ms (tests shorten it). */
  leaseMs?: number;
  /** Model hub root for downloads (tests point it at a local fake). Default Hugging Face. */
  modelHubUrl?: string;
  /** Gemini API root (tests point it at a local fake). */
  geminiBaseUrl?: string;
  /** Watch local folders for changes. Default: `background`. The CLI's one-shot commands turn it off. */
  watch?: boolean;
  /** Poll the webhook relay. Default: `background`. */
  relay?: boolean;
  /** Debounce of folder watchers, ms. Default 1500. */
  watchDebounceMs?: number;
  /**
   * How long a write waits while another process holds the library's write
   * lock, ms. Default 5000: the app's main thread waits synchronously, and
   * its window must not freeze for longer. A job that waits in vain runs
   * again a moment later without spending an attempt.
   */
  busyTimeoutMs?: number;
  /** How often a long-running process looks for commits by another process on the library, ms. Default 1000. */
  outsideWritesPollMs?: number;
  /** When the fast-search index is built (search/quantized-index.ts). Default: from 100,000 vectors. */
  searchIndexPolicy?: QuantizedIndexPolicy;
  /** Accumulates time per ingest stage (benchmarks). Default: nothing is timed. */
  metrics?: StageTimer;
  /**
   * How long a sync asked for by a "something changed" webhook (every Drive
   * notification) waits before it starts, so the rest of a burst joins it
   * instead of queueing a follow-up. Default 2000 ms.
   */
  webhookSyncDelayMs?: number;
}

/**
 * What createCore (app.ts, the one place that constructs objects) returns.
 * Everything the shell, the browser mode and the CLI use hangs off it.
 */
export interface Core {
  readonly dataDir: string;
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly secrets: SecretStore;
  readonly repos: Repos;
  readonly queue: Queue;
  readonly registry: ConnectorRegistry;
  readonly connectors: ConnectorService;
  readonly embeddings: EmbeddingService;
  readonly models: ModelManager;
  readonly search: SearchService;
  readonly relay: RelayClient;
  readonly events: CoreEvents;
  /** OCR preferences: the languages scans are read in, the confidence floor. */
  readonly ocr: OcrSettings;
  /** Whether the data disk takes writes; background work pauses while it does not. */
  readonly storage: StorageHealth;
  /** Sync runs from listing to the last indexed document. */
  readonly runs: RunTracker;
  /** Queues process_imported_doc for documents (keyed, so a document has at most one live job); run inside a transaction. */
  enqueueProcessing(documentIds: readonly string[]): void;
  /** Queues a sync of a connector (deduplicated with one already queued). */
  requestSync(connectorId: string, options: Omit<SyncRequest, 'key' | 'delayMs'>): { jobId: string };
  /** Resolves when every queued and running job has finished (CLI `sync`, benchmarks, tests). */
  idle(options?: WaitUntilIdleOptions): Promise<void>;
  close(): Promise<void>;
}
