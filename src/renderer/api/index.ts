import type { TroveBridge } from '../../shared/contract';
import { createHttpClient, createIpcClient, type ApiClient } from './transports';

export type { ApiClient, Shape } from './transports';

const TOKEN_KEY = 'trove.accessToken';

declare global {
  interface Window {
    /** Present only inside the Electron shell (set by the preload). */
    trove?: TroveBridge;
  }
}

/**
 * Picks the transport: the preload's IPC bridge in the desktop app, HTTP+SSE
 * in browser mode. In browser mode the token arrives once as `?token=`; it is
 * moved to sessionStorage (per tab, never a cookie) and removed from the
 * address bar so it does not end up in history or screenshots.
 */
export function createApiClient(): ApiClient {
  if (window.trove) return createIpcClient(window.trove);
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const token = fromUrl ?? window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  return createHttpClient({ baseUrl: window.location.origin, token });
}
