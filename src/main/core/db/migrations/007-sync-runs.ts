/**
 * Migration 7: a sync run covers the indexing it caused. A run is a
 * connector_sync_logs row; its `phase` goes syncing → indexing → done, and
 * it is done only when the last document it queued is indexed or failed.
 * Each document remembers the run that last queued it (`sync_log_id`), so a
 * run's progress is a count over an index, never a per-document event.
 *
 * Rows written before this version are finished runs (`done`); any still
 * `running` is an orphan that the run tracker closes at start.
 */
export const migration007 = {
  version: 7,
  name: 'sync-runs',
  sql: /* sql */ `
ALTER TABLE connector_sync_logs ADD COLUMN phase TEXT NOT NULL DEFAULT 'done'
  CHECK (phase IN ('syncing', 'indexing', 'done'));
ALTER TABLE connector_sync_logs ADD COLUMN sync_completed_at INTEGER;
ALTER TABLE connector_sync_logs ADD COLUMN documents_to_index INTEGER NOT NULL DEFAULT 0
  CHECK (documents_to_index >= 0);
ALTER TABLE connector_sync_logs ADD COLUMN documents_examined INTEGER NOT NULL DEFAULT 0
  CHECK (documents_examined >= 0);
CREATE INDEX idx_connector_sync_logs_open ON connector_sync_logs(phase) WHERE phase != 'done';
ALTER TABLE imported_documents ADD COLUMN sync_log_id TEXT;
CREATE INDEX idx_imported_documents_run ON imported_documents(sync_log_id, sync_status)
  WHERE sync_log_id IS NOT NULL;
CREATE INDEX idx_events_connector ON events(connector_id) WHERE connector_id IS NOT NULL;
`,
};
