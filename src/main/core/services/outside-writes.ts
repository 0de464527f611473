import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger';

export interface OutsideWritesDeps {
  db: Database;
  /** Called once per look that finds commits from another connection since the last. */
  onChange(): void;
  /** How often to look, ms. Default 1000. */
  pollMs?: number;
  logger: Logger;
}

/**
 * Notices when another process commits to the library: the CLI adding a
 * folder or importing files while the app runs, or the app syncing while
 * the CLI serves. SQLite's `data_version` changes exactly when another
 * connection committed; this process writes through its one connection,
 * so its own writes never count. Looking costs one pragma, no I/O.
 */
export class OutsideWrites {
  private version: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: OutsideWritesDeps) {
    this.version = this.read();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.deps.pollMs ?? 1000);
    this.timer.unref?.();
  }

  /** Looks now; true when another process committed since the last look. */
  check(): boolean {
    let version: number;
    try {
      version = this.read();
    } catch (error) {
      // The database is closing: nothing more to notice.
      this.deps.logger.debug('could not read data_version', { error: String(error) });
      return false;
    }
    if (version === this.version) return false;
    this.version = version;
    try {
      this.deps.onChange();
    } catch (error) {
      this.deps.logger.warn('following writes of another process failed', { error: String(error) });
    }
    return true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private read(): number {
    return this.deps.db.pragma('data_version', { simple: true }) as number;
  }
}
