import type { Database } from 'better-sqlite3';
import { migrate } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { openDatabase } from '../../src/main/core/db/open';

/**
 * An in-memory library as a version of Trove left it: migrated up to
 * `version` only, with one local folder connector `c` for documents to
 * belong to. Migration tests then add rows and migrate the rest of the way.
 */
export function databaseAt(version: number): Database {
  const db = openDatabase(':memory:', { migrate: false });
  migrate(db, MIGRATIONS, version);
  db.prepare(
    `INSERT INTO connector_configs (id, type, name, settings, created_at, updated_at) VALUES ('c', 'local_folder', 'F', '{}', 1, 1)`,
  ).run();
  return db;
}
