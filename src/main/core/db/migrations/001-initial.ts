/**
 * Migration 1: every table of the data model (docs/architecture.md), adapted
 * to SQLite: UUID text ids, JSON as
 * text guarded by json_valid, timestamps as epoch milliseconds.
 *
 * A shipped migration is never edited: add a new numbered file instead.
 */
export const migration001 = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE connector_configs (
  id            TEXT PRIMARY KEY,
  type          TEXT NOT NULL CHECK (type IN ('local_folder', 'local_import', 'google_drive', 'notion')),
  name          TEXT NOT NULL,
  settings      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'error', 'disconnected')),
  sync_cursor   TEXT CHECK (sync_cursor IS NULL OR json_valid(sync_cursor)),
  last_sync_at  INTEGER,
  last_error    TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE imported_documents (
  id              TEXT PRIMARY KEY,
  connector_id    TEXT NOT NULL REFERENCES connector_configs(id) ON DELETE CASCADE,
  external_id     TEXT NOT NULL,
  title           TEXT NOT NULL,
  mime_type       TEXT,
  source_url      TEXT,
  content_hash    TEXT,
  content         TEXT,
  metadata        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  size_bytes      INTEGER,
  source_modified_at INTEGER,
  sync_status     TEXT NOT NULL DEFAULT 'pending'
                  CHECK (sync_status IN ('pending', 'processing', 'completed', 'error', 'skipped', 'deleted')),
  sync_error      TEXT,
  processed_hash  TEXT,
  processed_at    INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (connector_id, external_id)
) STRICT;
CREATE INDEX idx_imported_documents_status ON imported_documents(sync_status);
CREATE INDEX idx_imported_documents_hash ON imported_documents(connector_id, content_hash);

-- Chunks are keyed by an integer rowid (not a UUID) because FTS5 and the
-- sqlite-vec vec0 tables join on it; INTEGER PRIMARY KEY keeps it stable
-- across VACUUM.
CREATE TABLE imported_doc_chunks (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  imported_document_id  TEXT NOT NULL REFERENCES imported_documents(id) ON DELETE CASCADE,
  connector_id          TEXT NOT NULL REFERENCES connector_configs(id) ON DELETE CASCADE,
  chunk_index           INTEGER NOT NULL,
  chunk_text            TEXT NOT NULL,
  chunking_strategy     TEXT NOT NULL CHECK (chunking_strategy IN ('semantic', 'fixed', 'adaptive')),
  semantic_score        REAL,
  structure_type        TEXT NOT NULL CHECK (structure_type IN ('code', 'list', 'table', 'paragraph', 'heading', 'mixed')),
  boundary_type         TEXT NOT NULL CHECK (boundary_type IN ('semantic_break', 'size_limit', 'structure_boundary', 'document_end')),
  metadata              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  content_hash          TEXT NOT NULL,
  heading_path          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(heading_path)),
  char_start            INTEGER NOT NULL,
  char_end              INTEGER NOT NULL,
  page                  INTEGER,
  chunker_version       INTEGER NOT NULL,
  created_at            INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX idx_imported_doc_chunks_doc ON imported_doc_chunks(imported_document_id, chunk_index);
CREATE INDEX idx_imported_doc_chunks_connector ON imported_doc_chunks(connector_id);

-- Keyword index over chunk text and document title, Porter-stemmed. Rowid is
-- the chunk id. Triggers keep it in step with the chunks table, so no code
-- path can forget it.
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  chunk_text,
  title,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  INSERT INTO chunks_fts(rowid, chunk_text, title)
  VALUES (new.id, new.chunk_text, (SELECT title FROM imported_documents WHERE id = new.imported_document_id));
END;

CREATE TRIGGER trg_chunks_fts_delete AFTER DELETE ON imported_doc_chunks BEGIN
  DELETE FROM chunks_fts WHERE rowid = old.id;
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text ON imported_doc_chunks BEGIN
  UPDATE chunks_fts SET chunk_text = new.chunk_text WHERE rowid = new.id;
END;

CREATE TRIGGER trg_chunks_fts_title AFTER UPDATE OF title ON imported_documents BEGIN
  UPDATE chunks_fts SET title = new.title
  WHERE rowid IN (SELECT id FROM imported_doc_chunks WHERE imported_document_id = new.id);
END;

-- Chunk ids whose vectors must be removed from every vec0 table. vec0
-- tables cannot take foreign keys, so deletions (including cascades from a
-- removed document or connector) leave a tombstone here; the vector
-- repository purges them. Chunk ids are AUTOINCREMENT, so a stale vector can
-- never be mistaken for a new chunk in the meantime.
CREATE TABLE vector_gc (
  chunk_id  INTEGER PRIMARY KEY
) STRICT;

CREATE TRIGGER trg_chunks_vector_gc AFTER DELETE ON imported_doc_chunks BEGIN
  INSERT OR IGNORE INTO vector_gc(chunk_id) VALUES (old.id);
END;

-- Registry of embedding spaces. Each space (provider + model + dimensions)
-- owns one vec0 table named vec_chunks_<id> (and, when quantised search is
-- on, vec_chunks_<id>_bits), created by the embedding-space repository.
-- Vectors of different spaces are never mixed in one table.
CREATE TABLE embedding_spaces (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  space_key    TEXT NOT NULL UNIQUE,
  provider     TEXT NOT NULL CHECK (provider IN ('local', 'gemini')),
  model        TEXT NOT NULL,
  dimensions   INTEGER NOT NULL CHECK (dimensions > 0),
  quantized    INTEGER NOT NULL DEFAULT 0 CHECK (quantized IN (0, 1)),
  is_active    INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX idx_embedding_spaces_one_active ON embedding_spaces(is_active) WHERE is_active = 1;

CREATE TABLE jobs (
  id                TEXT PRIMARY KEY,
  type              TEXT NOT NULL,
  payload           TEXT NOT NULL CHECK (json_valid(payload)),
  status            TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  priority          INTEGER NOT NULL DEFAULT 0,
  run_at            INTEGER NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  max_attempts      INTEGER NOT NULL DEFAULT 3,
  job_key           TEXT,
  serial_key        TEXT,
  locked_by         TEXT,
  locked_until      INTEGER,
  cancel_requested  INTEGER NOT NULL DEFAULT 0,
  progress          REAL,
  progress_message  TEXT,
  last_error        TEXT,
  error_history     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(error_history)),
  result            TEXT CHECK (result IS NULL OR json_valid(result)),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  started_at        INTEGER,
  finished_at       INTEGER
) STRICT;
CREATE INDEX idx_jobs_claim ON jobs(status, run_at, priority);
CREATE INDEX idx_jobs_type_status ON jobs(type, status);
CREATE INDEX idx_jobs_serial ON jobs(serial_key, status) WHERE serial_key IS NOT NULL;
CREATE INDEX idx_jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
-- A key deduplicates only while its job is queued or running.
CREATE UNIQUE INDEX idx_jobs_live_key ON jobs(job_key) WHERE job_key IS NOT NULL AND status IN ('queued', 'running');

-- Added by the queue (src/main/core/queue): the claim query walks queued jobs
-- in priority order (the query names this index with INDEXED BY). Without it
-- every claim sorts all queued rows, which is quadratic over a large backlog.
CREATE INDEX idx_jobs_queued_order ON jobs(priority DESC, run_at) WHERE status = 'queued';

CREATE TABLE connector_sync_logs (
  id                  TEXT PRIMARY KEY,
  connector_id        TEXT NOT NULL REFERENCES connector_configs(id) ON DELETE CASCADE,
  job_id              TEXT,
  sync_type           TEXT NOT NULL CHECK (sync_type IN ('manual', 'scheduled', 'webhook', 'watcher', 'import')),
  full_sync           INTEGER NOT NULL DEFAULT 0 CHECK (full_sync IN (0, 1)),
  started_at          INTEGER NOT NULL,
  completed_at        INTEGER,
  duration_ms         INTEGER,
  status              TEXT NOT NULL CHECK (status IN ('running', 'success', 'partial', 'failed')),
  documents_synced    INTEGER NOT NULL DEFAULT 0,
  documents_updated   INTEGER NOT NULL DEFAULT 0,
  documents_failed    INTEGER NOT NULL DEFAULT 0,
  documents_deleted   INTEGER NOT NULL DEFAULT 0,
  documents_skipped   INTEGER NOT NULL DEFAULT 0,
  error_message       TEXT,
  error_details       TEXT CHECK (error_details IS NULL OR json_valid(error_details)),
  metadata            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  api_calls_made      INTEGER NOT NULL DEFAULT 0,
  bytes_transferred   INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX idx_connector_sync_logs_connector ON connector_sync_logs(connector_id, started_at);

CREATE TABLE webhook_events (
  id                TEXT PRIMARY KEY,
  connector_id      TEXT NOT NULL REFERENCES connector_configs(id) ON DELETE CASCADE,
  event_type        TEXT NOT NULL,
  event_source      TEXT NOT NULL,
  event_id          TEXT,
  relay_sequence    INTEGER,
  payload           TEXT NOT NULL CHECK (json_valid(payload)),
  headers           TEXT CHECK (headers IS NULL OR json_valid(headers)),
  processed         INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1)),
  processing_state  TEXT NOT NULL DEFAULT 'received'
                    CHECK (processing_state IN ('received', 'processing', 'processed', 'ignored', 'failed')),
  processed_at      INTEGER,
  processing_error  TEXT,
  retry_count       INTEGER NOT NULL DEFAULT 0,
  received_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX idx_webhook_events_connector ON webhook_events(connector_id);
CREATE INDEX idx_webhook_events_processed ON webhook_events(processed, received_at);
CREATE UNIQUE INDEX idx_webhook_events_dedupe ON webhook_events(connector_id, event_source, event_id) WHERE event_id IS NOT NULL;

-- The desktop side of the webhook relay: one channel per webhook-capable
-- connector. The poll secret lives in the keychain, never here.
CREATE TABLE relay_channels (
  connector_id    TEXT PRIMARY KEY REFERENCES connector_configs(id) ON DELETE CASCADE,
  relay_url       TEXT NOT NULL,
  channel_id      TEXT NOT NULL,
  webhook_url     TEXT NOT NULL,
  last_sequence   INTEGER NOT NULL DEFAULT 0,
  provider_state  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provider_state)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  type          TEXT NOT NULL,
  level         TEXT NOT NULL DEFAULT 'info' CHECK (level IN ('info', 'success', 'warning', 'error')),
  title         TEXT NOT NULL,
  message       TEXT,
  connector_id  TEXT,
  document_id   TEXT,
  job_id        TEXT,
  data          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  read_at       INTEGER,
  created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX idx_events_created ON events(created_at);

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL CHECK (json_valid(value)),
  updated_at  INTEGER NOT NULL
) STRICT;
`,
};
