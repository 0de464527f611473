import type { DocumentStatus } from '../../../shared/contract/common';
import { fromJson } from './json';

export interface StoredDocument {
  id: string;
  connectorId: string;
  externalId: string;
  title: string;
  mimeType: string | null;
  sourceUrl: string | null;
  contentHash: string | null;
  content: string | null;
  metadata: Record<string, unknown>;
  sizeBytes: number | null;
  sourceModifiedAt: number | null;
  syncStatus: DocumentStatus;
  syncError: string | null;
  processedHash: string | null;
  processedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface DocumentRow {
  id: string;
  connector_id: string;
  external_id: string;
  title: string;
  mime_type: string | null;
  source_url: string | null;
  content_hash: string | null;
  content: string | null;
  metadata: string;
  size_bytes: number | null;
  source_modified_at: number | null;
  sync_status: DocumentStatus;
  sync_error: string | null;
  processed_hash: string | null;
  processed_at: number | null;
  created_at: number;
  updated_at: number;
}

export const toDocument = (r: DocumentRow): StoredDocument => ({
  id: r.id,
  connectorId: r.connector_id,
  externalId: r.external_id,
  title: r.title,
  mimeType: r.mime_type,
  sourceUrl: r.source_url,
  contentHash: r.content_hash,
  content: r.content,
  metadata: fromJson(r.metadata, {}),
  sizeBytes: r.size_bytes,
  sourceModifiedAt: r.source_modified_at,
  syncStatus: r.sync_status,
  syncError: r.sync_error,
  processedHash: r.processed_hash,
  processedAt: r.processed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What a sync learned about one source document. */
