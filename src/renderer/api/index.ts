import type { TroveBridge } from '../../shared/contract';
import { createHttpClient, createIpcClient, type ApiClient } from './transports';

export type { ApiClient, Shape } from './transports';

declare global {
  interface Window {
    /** Present only inside the Electron shell (set by the preload). */
    trove?: TroveBridge;
  }
}

/**
 * Picks the transport: the preload's IPC bridge in the desktop app, HTTP+SSE
 * in browser mode. In browser mode the server traded the printed URL's token
 * for an HttpOnly session cookie before this page loaded, so page scripts
 * never hold the secret and every tab of this browser is signed in.
 */
export function createApiClient(): ApiClient {
  if (window.trove) return createIpcClient(window.trove);
  return createHttpClient({ baseUrl: window.location.origin });
}
