/**
 * IPC names and the bridge shape, kept free of zod so the sandboxed preload
 * bundle stays tiny.
 */
import type { ErrorInfo } from '../errors';

/** One request channel (ipcMain.handle) and one push channel. */
export const IPC_CALL_CHANNEL = 'trove:call';
export const IPC_EVENT_CHANNEL = 'trove:event';

/** What the preload exposes as `window.trove`, exactly. */
export interface TroveBridge {
  /** Resolves to `{ ok: true, value } | { ok: false, error }`; never rejects on command errors. */
  call(command: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorInfo }>;
  /** Pushed events (validated by the client); returns an unsubscribe function. */
  subscribe(listener: (event: unknown) => void): () => void;
  /** Absolute paths of dropped files/folders (Electron's webUtils.getPathForFile). */
  pathsForFiles(files: readonly File[]): string[];
}
