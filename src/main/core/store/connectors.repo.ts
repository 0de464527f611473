import type { Database } from 'better-sqlite3';
import type { ConnectorConfig, ConnectorStatus, ConnectorType } from '../connectors/types';
import type { Clock } from '../clock';
import { newId } from '../ids';
import { fromJson, toJson } from './json';

interface ConnectorRow {
  id: string;
  type: ConnectorType;
  name: string;
  settings: string;
  status: ConnectorStatus;
  sync_cursor: string | null;
  last_sync_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface StoredConnector extends ConnectorConfig {
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

function toConnector(row: ConnectorRow): StoredConnector {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    settings: fromJson(row.settings, {}),
    status: row.status,
    syncCursor: fromJson(row.sync_cursor, null),
    lastSyncAt: row.last_sync_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** connector_configs: what the person connected, its settings, status and cursor. */
export class ConnectorsRepo {
  private readonly stmts;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO connector_configs (id, type, name, settings, status, created_at, updated_at)
         VALUES (@id, @type, @name, @settings, 'active', @now, @now)`,
      ),
      get: db.prepare(`SELECT * FROM connector_configs WHERE id = ?`),
      list: db.prepare(`SELECT * FROM connector_configs ORDER BY created_at, id`),
      byType: db.prepare(`SELECT * FROM connector_configs WHERE type = ? ORDER BY created_at, id`),
      setStatus: db.prepare(
        `UPDATE connector_configs SET status = @status, last_error = @error, updated_at = @now WHERE id = @id`,
      ),
      update: db.prepare(
        `UPDATE connector_configs SET name = @name, settings = @settings, updated_at = @now WHERE id = @id`,
      ),
      completeSync: db.prepare(
        `UPDATE connector_configs
         SET sync_cursor = @cursor, last_sync_at = @now, last_error = NULL,
             status = CASE WHEN status IN ('error') THEN 'active' ELSE status END, updated_at = @now
         WHERE id = @id`,
      ),
      remove: db.prepare(`DELETE FROM connector_configs WHERE id = ?`),
    };
  }

  create(input: {
    type: ConnectorType;
    name: string;
    settings: Record<string, unknown>;
    id?: string;
  }): StoredConnector {
    const id = input.id ?? newId();
    this.stmts.insert.run({
      id,
      type: input.type,
      name: input.name,
      settings: toJson(input.settings),
      now: this.clock.now(),
    });
    return this.get(id)!;
  }

  get(id: string): StoredConnector | undefined {
    const row = this.stmts.get.get(id) as ConnectorRow | undefined;
    return row && toConnector(row);
  }

  list(): StoredConnector[] {
    return (this.stmts.list.all() as ConnectorRow[]).map(toConnector);
  }

  listByType(type: ConnectorType): StoredConnector[] {
    return (this.stmts.byType.all(type) as ConnectorRow[]).map(toConnector);
  }

  update(id: string, changes: { name?: string; settings?: Record<string, unknown> }): StoredConnector | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    this.stmts.update.run({
      id,
      name: changes.name ?? current.name,
      settings: toJson(changes.settings ?? current.settings),
      now: this.clock.now(),
    });
    return this.get(id);
  }

  setStatus(id: string, status: ConnectorStatus, error: string | null = null): void {
    this.stmts.setStatus.run({ id, status, error, now: this.clock.now() });
  }

  /** Saves the cursor of a completed sync and stamps last_sync_at. */
  completeSync(id: string, cursor: unknown): void {
    this.stmts.completeSync.run({ id, cursor: cursor === undefined ? null : toJson(cursor), now: this.clock.now() });
  }

  /** Removes the connector; documents, chunks, FTS rows, logs and events cascade. Vectors are removed by the caller. */
  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes > 0;
  }
}
