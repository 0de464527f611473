/**
 * The renderer's two ways to reach the core, behind one interface. This file
 * uses no DOM globals (only fetch and streams), so it runs under Node in tests.
 */
import {
  TroveEvent,
  type CommandInput,
  type CommandName,
  type CommandResult,
  type Result,
  type TroveBridge,
} from '../../shared/contract';

export type Shape = 'desktop' | 'browser';

export interface ApiClient {
  readonly shape: Shape;
  /** Never throws: failures come back as `{ ok: false, error }`. */
  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandResult<K>>;
  /** Every valid event from the core; returns an unsubscribe function. */
  subscribe(listener: (event: TroveEvent) => void): () => void;
  /** Absolute paths of dropped files (desktop only; browser pages cannot know them). */
  pathsForFiles?(files: readonly File[]): string[];
  /**
   * Browser mode: copies dropped files to the serve machine's upload folder
   * (browsers never reveal a file's path) and returns where they landed.
   */
  uploadFiles?(files: readonly File[], onFileDone?: (index: number) => void): Promise<Result<{ paths: string[] }>>;
}

function unreachable(message: string): Result<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

/** Keeps malformed pushes out of the UI; events are hints, so dropping one is safe. */
function parseEvent(raw: unknown): TroveEvent | null {
  const parsed = TroveEvent.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Desktop: the preload's `window.trove` bridge over Electron IPC. */
export function createIpcClient(bridge: TroveBridge): ApiClient {
  return {
    shape: 'desktop',
    async call(command, input) {
      try {
        return (await bridge.call(command, input)) as CommandResult<typeof command>;
      } catch {
        return unreachable('The Trove window lost contact with the app. Restart Trove.');
      }
    },
    subscribe(listener) {
      return bridge.subscribe((raw) => {
        const event = parseEvent(raw);
        if (event) listener(event);
      });
    },
    pathsForFiles: (files) => bridge.pathsForFiles(files),
  };
}

export interface HttpClientOptions {
  /** Origin of the serve server, e.g. http://127.0.0.1:4312 (no trailing slash). */
  baseUrl: string;
  /** Sent as a Bearer header (scripts and tests). A page omits it: its session cookie goes along by itself. */
  token?: string;
  fetch?: typeof fetch;
  /** First reconnect delay of the event stream; doubles up to 10 s. Default 500 ms. */
  reconnectDelayMs?: number;
}

/**
 * Browser mode: `POST /api/:command` and a Server-Sent Events stream read
 * with fetch. A page is signed in by its session cookie (same-origin
 * requests carry it); other callers pass the token, sent as a header, never
 * in a URL. One stream is shared by all subscribers.
 */
export function createHttpClient(options: HttpClientOptions): ApiClient {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const headers: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  const listeners = new Set<(event: TroveEvent) => void>();
  let stream: AbortController | null = null;

  async function call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandResult<K>> {
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}/api/${encodeURIComponent(command)}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return unreachable('Cannot reach Trove. Is `trove serve` still running?');
    }
    try {
      return (await response.json()) as CommandResult<K>;
    } catch {
      return unreachable(`Trove answered with HTTP ${response.status} and no result.`);
    }
  }

  async function runStream(controller: AbortController): Promise<void> {
    let delay = options.reconnectDelayMs ?? 500;
    while (!controller.signal.aborted) {
      try {
        const response = await doFetch(`${options.baseUrl}/api/events`, { headers, signal: controller.signal });
        if (response.ok && response.body) {
          delay = options.reconnectDelayMs ?? 500;
          await readEventStream(response.body, (data) => {
            let raw: unknown;
            try {
              raw = JSON.parse(data);
            } catch {
              return;
            }
            const event = parseEvent(raw);
            if (event) for (const listener of [...listeners]) listener(event);
          });
        }
      } catch {
        // Aborted or disconnected: retry below unless we were stopped.
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  async function uploadFiles(
    files: readonly File[],
    onFileDone?: (index: number) => void,
  ): Promise<Result<{ paths: string[] }>> {
    const batch = randomBatchId();
    const paths: string[] = [];
    for (const [index, file] of files.entries()) {
      const query = new URLSearchParams({ batch, name: file.name });
      let result: Result<{ path: string }>;
      try {
        const response = await doFetch(`${options.baseUrl}/api/upload?${query}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/octet-stream' },
          body: file,
        });
        result = (await response.json()) as Result<{ path: string }>;
      } catch {
        return unreachable(`Could not upload ${file.name}. Is \`trove serve\` still running?`);
      }
      if (!result.ok) return result;
      paths.push(result.value.path);
      onFileDone?.(index);
    }
    return { ok: true, value: { paths } };
  }

  return {
    shape: 'browser',
    call,
    uploadFiles,
    subscribe(listener) {
      listeners.add(listener);
      if (!stream) {
        stream = new AbortController();
        void runStream(stream);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stream) {
          stream.abort();
          stream = null;
        }
      };
    },
  };
}

function randomBatchId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Minimal SSE reader: calls `onData` with each event's joined `data:` lines. */
export async function readEventStream(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) onData(data);
      boundary = buffer.indexOf('\n\n');
    }
  }
}
