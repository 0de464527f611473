import type { Unsubscribe } from './typed-emitter';

/**
 * Lets the owner of the storage stop the queue while writes cannot succeed
 * (a full or failing disk), and start it again once they can. The queue
 * hands the gate every error a store call or a handler threw; the gate
 * decides whether it is such a fault, pauses, probes on its own timer and
 * calls `onResume` listeners when writes work again.
 *
 * While paused the worker claims nothing, writes nothing it can defer (lease
 * renewals, progress, recovery, pruning) and retries nothing on a timer, so
 * a full disk costs no CPU and no log lines; an attempt that failed because
 * of the storage goes back to the queue without using up an attempt.
 */
export interface PauseGate {
  /** True while writes to the store cannot succeed. */
  readonly paused: boolean;
  /** True (and the gate is now paused) when `error` is a storage fault; false for any other error. */
  report(error: unknown): boolean;
  /** Calls `listener` each time writes succeed again after a pause. */
  onResume(listener: () => void): Unsubscribe;
}

/** The default gate: never pauses, so every error takes the queue's ordinary path. */
export const NEVER_PAUSED: PauseGate = {
  paused: false,
  report: () => false,
  onResume: () => () => {},
};
