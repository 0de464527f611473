/**
 * The shell's security decisions as pure functions (no electron import), so
 * they are unit-tested under Node. index.ts wires them into Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Our privileged scheme: the packaged renderer is served from app://trove/. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'trove';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * BrowserWindow options. Every security switch is spelled out even where it
 * is Electron's default, so a future default change cannot loosen it silently.
 */
export function mainWindowOptions(params: {
  preloadPath: string;
  iconPath?: string;
  dark?: boolean;
}): BrowserWindowConstructorOptions {
  return {
    width: 1240,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Trove',
    backgroundColor: params.dark ? '#15171c' : '#f7f7f9',
    ...(params.iconPath ? { icon: params.iconPath } : {}),
    webPreferences: {
      preload: params.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      devTools: true,
    },
  };
}

/** The origin the renderer is loaded from: the dev server in development, app://trove otherwise. */
export function rendererOrigin(devServerUrl: string | undefined): string {
  return devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
}

/** True when `url` is a page of our own UI (same origin as the renderer). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    // Custom schemes report origin "null"; compare scheme and host instead.
    return `${parsed.protocol}//${parsed.host}` === appOrigin;
  } catch {
    return false;
  }
}

/**
 * IPC sender check: only the top frame of our own window, showing our own
 * UI, may call the core. A navigated or framed page gets nothing.
 */
export function isTrustedSender(
  sender: { frameUrl: string | undefined; isMainFrame: boolean; webContentsId: number },
  expected: { webContentsId: number | null; appOrigin: string },
): boolean {
  if (expected.webContentsId === null || sender.webContentsId !== expected.webContentsId) return false;
  if (!sender.isMainFrame || !sender.frameUrl) return false;
  return isAppUrl(sender.frameUrl, expected.appOrigin);
}

/**
 * Links we hand to the system browser: http(s) only, no embedded
 * credentials. file:, javascript:, custom protocol handlers and the like are
 * refused because the OS would run them with the user's privileges.
 */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    if (parsed.username || parsed.password) return false;
    return parsed.hostname.length > 0;
  } catch {
    return false;
  }
}
