import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { CommandInput, CommandName, CommandOutput, TroveEvent } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/errors';
import type { ApiClient } from './transports';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside <ApiContext.Provider>.');
  return api;
}

/** Calls `listener` for every core event while the component is mounted. */
export function useEvents(listener: (event: TroveEvent) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.subscribe((event) => latest.current(event)), [api]);
}

export interface QueryState<T> {
  data: T | null;
  error: ErrorInfo | null;
  loading: boolean;
  /** performance.now() when the request behind `data` was sent; 0 before any answer. */
  requestedAt: number;
  reload(): void;
}

export interface QueryOptions {
  /**
   * Refetch when an event matches (throttled to one refetch per `throttleMs`).
   * A query with one is live: it also refetches when another process changed the library.
   */
  refreshOn?: (event: TroveEvent) => boolean;
  /** Default 400 ms: progress events arrive fast; the list does not need to. */
  throttleMs?: number;
  /** Skip the call (e.g. no input yet). */
  enabled?: boolean;
}

/**
 * Runs a command and keeps its latest result. Re-runs when the input
 * changes (compared as JSON) and, throttled, when a matching event arrives.
 * A slower earlier answer never overwrites a newer one.
 */
export function useCommand<K extends CommandName>(
  command: K,
  input: CommandInput<K>,
  options: QueryOptions = {},
): QueryState<CommandOutput<K>> {
  const api = useApi();
  const [state, setState] = useState<{
    data: CommandOutput<K> | null;
    error: ErrorInfo | null;
    loading: boolean;
    requestedAt: number;
  }>({
    data: null,
    error: null,
    loading: true,
    requestedAt: 0,
  });
  const key = JSON.stringify(input);
  const sequence = useRef(0);
  const enabled = options.enabled ?? true;

  const run = useCallback(() => {
    if (!enabled) return;
    const mine = ++sequence.current;
    const requestedAt = performance.now();
    setState((s) => ({ ...s, loading: true }));
    void api.call(command, JSON.parse(key) as CommandInput<K>).then((result) => {
      if (mine !== sequence.current) return;
      if (result.ok) setState({ data: result.value as CommandOutput<K>, error: null, loading: false, requestedAt });
      else setState((s) => ({ ...s, error: result.error, loading: false }));
    });
  }, [api, command, key, enabled]);

  useEffect(run, [run]);

  const refreshOn = useRef(options.refreshOn);
  useEffect(() => {
    refreshOn.current = options.refreshOn;
  });
  // The timer calls the latest `run`, not the one current when the event
  // arrived: that one may belong to a render where the query was disabled.
  const latestRun = useRef(run);
  useEffect(() => {
    latestRun.current = run;
  });
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRefresh = useRef(0);
  const throttleMs = options.throttleMs ?? 400;
  useEvents((event) => {
    // Events inside a pending window are covered: the refetch starts after them.
    if (!refreshOn.current || pending.current) return;
    // A live view follows another process's writes too (the CLI beside the app), which announce nothing else.
    if (event.type !== 'library.changed' && !refreshOn.current(event)) return;
    // The first event after a quiet spell refreshes at once (a finished run shows
    // without delay); a burst then refreshes at most once per `throttleMs`.
    const wait = Math.max(0, lastRefresh.current + throttleMs - performance.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      lastRefresh.current = performance.now();
      latestRun.current();
    }, wait);
  });
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  return { ...state, reload: run };
}

/** A mutation helper: runs a command, exposes busy/error, returns the result. */
export function useAction(): {
  busy: boolean;
  error: ErrorInfo | null;
  run<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K> | null>;
  clearError(): void;
} {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const run = useCallback(
    async <K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K> | null> => {
      setBusy(true);
      setError(null);
      const result = await api.call(command, input);
      setBusy(false);
      if (result.ok) return result.value as CommandOutput<K>;
      setError(result.error);
      return null;
    },
    [api],
  );
  return { busy, error, run, clearError: useCallback(() => setError(null), []) };
}
