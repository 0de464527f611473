import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { ChunksRepo } from './chunks.repo';
import { ConnectorsRepo } from './connectors.repo';
import { DocumentsRepo } from './documents.repo';
import { EmbeddingSpacesRepo } from './embedding-spaces.repo';
import { EventsRepo } from './events.repo';
import { OcrPagesRepo } from './ocr-pages.repo';
import { SettingsRepo } from './settings.repo';
import { SyncLogsRepo } from './sync-logs.repo';
import { VectorsRepo } from './vectors.repo';
import { WebhookEventsRepo } from './webhook-events.repo';

/** Every table's repository over one connection. */
export interface Repos {
  connectors: ConnectorsRepo;
  documents: DocumentsRepo;
  chunks: ChunksRepo;
  syncLogs: SyncLogsRepo;
  events: EventsRepo;
  settings: SettingsRepo;
  spaces: EmbeddingSpacesRepo;
  vectors: VectorsRepo;
  webhookEvents: WebhookEventsRepo;
  ocrPages: OcrPagesRepo;
}

export function createRepos(db: Database, clock: Clock): Repos {
  return {
    connectors: new ConnectorsRepo(db, clock),
    documents: new DocumentsRepo(db, clock),
    chunks: new ChunksRepo(db, clock),
    syncLogs: new SyncLogsRepo(db, clock),
    events: new EventsRepo(db, clock),
    settings: new SettingsRepo(db, clock),
    spaces: new EmbeddingSpacesRepo(db, clock),
    vectors: new VectorsRepo(db),
    webhookEvents: new WebhookEventsRepo(db, clock),
    ocrPages: new OcrPagesRepo(db, clock),
  };
}
