import { causeChain, STORAGE_FAULT_MESSAGES, storageFault, type StorageFault } from '../../../shared/storage-errors';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import type { PauseGate } from '../queue/pause-gate';
import type { EventsRepo, NotificationInput } from '../store/events.repo';
import { TypedEmitter, type Listener, type Unsubscribe } from '../queue/typed-emitter';

/** Whether Trove's data disk takes writes. */
export interface StorageState {
  status: 'ok' | StorageFault;
  /** The one clear message while paused; null when writes work. */
  message: string | null;
  /** When writes started failing (epoch ms); null when they work. */
  since: number | null;
}

export interface StorageHealthEvents {
  /** The status changed: paused (full or io), or back to ok. */
  change: StorageState;
  /** Writes work again; the payload is the pause that just ended. */
  resumed: StorageState;
}

export interface StorageHealthOptions {
  /** A real small write to the data disk; throws while writes still fail (see db/storage-probe.ts). */
  probe(): Promise<void>;
  clock?: Clock;
  logger?: Logger;
  /** Wait before the first probe of a pause, ms; doubled after each failed probe. Default 1000. */
  probeDelayMs?: number;
  /** Longest wait between two probes, ms. Default 30000. */
  maxProbeDelayMs?: number;
}

const OK: StorageState = { status: 'ok', message: null, since: null };

/**
 * A pause that starts within this long of the last resume continues the
 * probe backoff where it was: a disk hovering at full then pauses for
 * longer and longer instead of flapping every second.
 */
const FLAP_WINDOW_MS = 60_000;

/**
 * The data disk's health, for the whole core: any part that hits a write
 * error hands it to `report`; a full or failing disk pauses background work
 * (the queue consults this as its PauseGate), is logged once and announced
 * once (`change`), and is probed with a real small write on a timer with
 * backoff until writes succeed, when everything resumes by itself.
 */
export class StorageHealth implements PauseGate {
  private current: StorageState = OK;
  private readonly emitter: TypedEmitter<StorageHealthEvents>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private failedProbes = 0;
  private resumedAt = -Infinity;
  private timer: unknown;
  private closed = false;

  constructor(private readonly options: StorageHealthOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child('storage');
    this.baseDelayMs = options.probeDelayMs ?? 1000;
    this.maxDelayMs = options.maxProbeDelayMs ?? 30_000;
    this.emitter = new TypedEmitter<StorageHealthEvents>((error, event) =>
      this.logger.error('storage listener threw', {
        event,
        errorName: error instanceof Error ? error.name : 'unknown',
      }),
    );
  }

  get state(): StorageState {
    return this.current;
  }

  get paused(): boolean {
    return this.current.status !== 'ok';
  }

  report(error: unknown): boolean {
    const fault = storageFault(error);
    if (!fault) return false;
    if (!this.paused && !this.closed) this.pause(fault, error);
    return true;
  }

  on<K extends keyof StorageHealthEvents>(event: K, listener: Listener<StorageHealthEvents[K]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  onResume(listener: () => void): Unsubscribe {
    return this.emitter.on('resumed', () => listener());
  }

  /**
   * Runs a write now or, if the disk is full or failing, again after each
   * resume until it succeeds (start-up writes that must not fail the start).
   * Any other error is thrown (or, on a resume, logged).
   */
  runWhenWritable(write: () => void): void {
    try {
      write();
    } catch (error) {
      if (!this.report(error)) throw error;
      const off = this.onResume(() => {
        off();
        this.runWhenWritable(write);
      });
    }
  }

  /** Stops probing (the core is closing); the state stays as it is. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pause(fault: StorageFault, error: unknown): void {
    const now = this.clock.now();
    if (now - this.resumedAt > FLAP_WINDOW_MS) this.failedProbes = 0;
    this.current = { status: fault, message: STORAGE_FAULT_MESSAGES[fault], since: now };
    // The only log line of the whole pause: the ones that follow are suppressed by design.
    this.logger.error('writes to the data disk fail: background work is paused until they succeed again', {
      fault,
      cause: rawCode(error),
    });
    this.emitter.emit('change', this.current);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this.failedProbes);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.probe();
    }, delay);
  }

  private async probe(): Promise<void> {
    if (this.closed || !this.paused) return;
    try {
      await this.options.probe();
    } catch (error) {
      if (this.closed) return;
      this.failedProbes++;
      const fault = storageFault(error);
      // A full disk that starts failing (or the reverse) is a different problem to fix: say so, once.
      if (fault && fault !== this.current.status) {
        this.current = { ...this.current, status: fault, message: STORAGE_FAULT_MESSAGES[fault] };
        this.logger.error('the data disk fault changed', { fault, cause: rawCode(error) });
        this.emitter.emit('change', this.current);
      } else if (!fault) {
        // E.g. SQLITE_BUSY while another process writes: not an answer either way.
        this.logger.debug('storage probe inconclusive', { cause: rawCode(error) });
      }
      this.scheduleProbe();
      return;
    }
    if (this.closed) return;
    const ended = this.current;
    this.current = OK;
    this.resumedAt = this.clock.now();
    this.logger.warn('writes to the data disk succeed again: resuming', {
      pausedMs: this.resumedAt - (ended.since ?? this.resumedAt),
    });
    this.emitter.emit('change', this.current);
    this.emitter.emit('resumed', ended);
  }
}

/** The feed's record of a pause that just ended (it could not be written while it lasted). */
export function pauseNotice(ended: StorageState, resumedAt: number): NotificationInput {
  const seconds = Math.max(1, Math.round((resumedAt - (ended.since ?? resumedAt)) / 1000));
  const lasted = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  const why = ended.status === 'io' ? 'reported I/O errors' : 'was full';
  return {
    type: 'storage.resumed',
    level: 'warning',
    title: `Trove paused for ${lasted}: the disk holding its data ${why}`,
    message: 'Writes work again and Trove resumed where it stopped; nothing was lost.',
    data: { fault: ended.status, since: ended.since, resumedAt },
  };
}

/** The low-level code behind an error (SQLITE_FULL, ENOSPC, ...), for the log. Never a message: it may hold paths. */
function rawCode(error: unknown): string | undefined {
  const codes = causeChain(error).map((e) => (e as { code?: unknown }).code);
  return codes.filter((code): code is string => typeof code === 'string').at(-1);
}

/**
 * Announces the disk's state as it changes; a pause could not be written
 * while it lasted, so it goes into the feed once writes work again.
 */
export function announceStorage(
  storage: StorageHealth,
  deps: { onChange(state: StorageState): void; events: Pick<EventsRepo, 'record'>; clock: Clock },
): void {
  storage.on('change', deps.onChange);
  storage.on('resumed', (ended) => {
    try {
      deps.events.record(pauseNotice(ended, deps.clock.now()));
    } catch (error) {
      storage.report(error);
    }
  });
}
