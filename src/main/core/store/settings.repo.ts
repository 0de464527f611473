import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { fromJson, toJson } from './json';

/** settings: non-secret preferences as JSON values. Secrets belong in the SecretStore. */
export class SettingsRepo {
  private readonly stmts;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      get: db.prepare(`SELECT value FROM settings WHERE key = ?`),
      set: db.prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @now)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare(`DELETE FROM settings WHERE key = ?`),
      all: db.prepare(`SELECT key, value FROM settings ORDER BY key`),
    };
  }

  get<T>(key: string, fallback: T): T {
    const row = this.stmts.get.get(key) as { value: string } | undefined;
    return row ? fromJson<T>(row.value, fallback) : fallback;
  }

  set(key: string, value: unknown): void {
    this.stmts.set.run({ key, value: toJson(value), now: this.clock.now() });
  }

  remove(key: string): void {
    this.stmts.remove.run(key);
  }

  all(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.stmts.all.all() as Array<{ key: string; value: string }>) out[r.key] = fromJson(r.value, null);
    return out;
  }
}
