/**
 * The shell's security decisions as pure functions (no electron import), so
 * they are unit-tested under Node. index.ts wires them into Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { KnownLinks } from '../core/services/known-links';

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
  /** Allow DevTools. Only in development: a packaged app passes false, so no shortcut or call can open them. */
  devTools: boolean;
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
      devTools: params.devTools,
    },
  };
}

/**
 * The quick-search window: the main window's locked-down web preferences in
 * a small frameless panel that floats above other apps and stays out of the
 * taskbar (it is summoned by its shortcut or the tray).
 */
export function quickWindowOptions(params: Parameters<typeof mainWindowOptions>[0]): BrowserWindowConstructorOptions {
  return {
    ...mainWindowOptions(params),
    width: 720,
    height: 460,
    minWidth: 480,
    minHeight: 200,
    title: 'Trove quick search',
    frame: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    center: true,
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
 * Links the system browser may be given at all: http(s) only, no embedded
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

/** What to do with a link the UI asks to open in the system browser. */
export type ExternalLinkDecision =
  { action: 'open'; url: string } | { action: 'confirm'; url: string; host: string } | { action: 'refuse' };

/**
 * The system browser gets a document's original or a provider's page
 * straight away; any other http(s) host only after the person confirms a
 * dialog naming it (`host` is the parsed, punycode form, so a look-alike
 * Unicode name cannot pass for a familiar one); everything else never.
 * `url` is the parsed form, so the dialog names the host that is opened.
 */
export function decideExternalLink(
  url: string,
  known: Pick<KnownLinks, 'isIndexedSource' | 'isProviderPage'>,
): ExternalLinkDecision {
  if (!isAllowedExternalUrl(url)) return { action: 'refuse' };
  const parsed = new URL(url);
  if (known.isIndexedSource(url) || known.isProviderPage(url)) return { action: 'open', url: parsed.href };
  return { action: 'confirm', url: parsed.href, host: parsed.host };
}
