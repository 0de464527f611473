import type { Clock } from '../clock';

/**
 * Calls `fn` every `intervalMs` on an injected clock until stopped. Each run
 * is scheduled after the previous one returns, so slow runs never pile up.
 * `fn` must not throw (wrap it); a throw would end the repetition.
 */
export class RepeatingTimer {
  private handle: unknown;
  private active = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly fn: () => void,
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule();
  }

  stop(): void {
    this.active = false;
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      if (!this.active) return;
      this.fn();
      if (this.active) this.schedule();
    }, this.intervalMs);
  }
}
