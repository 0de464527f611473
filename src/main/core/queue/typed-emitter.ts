/** A listener for one event of a map. */
export type Listener<T> = (payload: T) => void;

/** Removes the listener it was returned for. Calling it twice is harmless. */
export type Unsubscribe = () => void;

type ListenerSets<Events> = { [K in keyof Events]?: Set<Listener<Events[K]>> };

/**
 * A small synchronous emitter over a typed event map, so subscribers get
 * checked event names and payloads. A throwing listener never breaks the
 * emitter or the other listeners: its error goes to `onListenerError`.
 */
export class TypedEmitter<Events extends object> {
  private readonly listeners: ListenerSets<Events> = {};

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void = () => {}) {}

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Unsubscribe {
    const set = this.listeners[event] ?? new Set<Listener<Events[K]>>();
    this.listeners[event] = set;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Like `on`, but removed after the first call. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Unsubscribe {
    const unsubscribe = this.on(event, (payload) => {
      unsubscribe();
      listener(payload);
    });
    return unsubscribe;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners[event];
    if (!set) return;
    // Copy so listeners may unsubscribe while we iterate.
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners[event]?.size ?? 0;
  }
}
