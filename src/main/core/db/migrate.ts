import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';
import { writeTransaction } from './write-transaction';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the database, each in its own
 * transaction together with its user_version bump, so a crash leaves the
 * database at a whole version. Returns the versions applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, target?: number): number[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new AppError(
      'CONFLICT',
      `This database was written by a newer Trove (schema ${current}, this build knows ${latest}). Update Trove to open it.`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    if (target !== undefined && migration.version > target) break;
    const ran = writeTransaction(db, () => {
      // Another process opening the same library may have applied it while this one waited for the lock.
      if (schemaVersion(db) >= migration.version) return false;
      db.exec(migration.sql);
      // PRAGMA cannot take a bound parameter; the version is an integer from our own code.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
      return true;
    })();
    if (ran) applied.push(migration.version);
  }
  return applied;
}
