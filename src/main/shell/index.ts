/**
 * The Electron main process: the only place (with the preload) that imports
 * electron. It builds the core, opens one locked-down window and relays
 * between them; all logic lives in the core or in pure helpers.
 */
import { app, BrowserWindow, dialog, Menu, nativeTheme, protocol, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, type Screen, type SettingsView, type TroveEvent } from '../../shared/contract';
import { toAppError } from '../../shared/errors';
import { createTroveApp } from '../core/api/trove-app';
import { createDispatcher, type Dispatcher } from '../core/api/dispatch';
import { createLogger, type Logger } from '../core/logger';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store';
import { createKnownLinks } from '../core/services/known-links';
import { loadStaticFile } from '../serve/static-files';
import { createLinkOpener, type LinkOpener } from './external-links';
import { forwardEvents, registerIpc } from './ipc';
import { buildAppMenu } from './menu';
import { APP_ORIGIN, APP_SCHEME, isAppUrl, mainWindowOptions, rendererOrigin } from './security';
import { createQuickSearch, type QuickSearch } from './quick-search';
import { createShellApi } from './shell-api';
import { createTray } from './tray';

const here = path.dirname(fileURLToPath(import.meta.url));
// Development conveniences (DevTools, Reload, the dev server) exist only in
// an unpackaged app; a packaged build can neither open DevTools nor show them in a menu.
const isDevelopment = !app.isPackaged;
const devServerUrl = isDevelopment ? process.env.ELECTRON_RENDERER_URL : undefined;
const appOrigin = rendererOrigin(devServerUrl);
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/index.cjs');
const iconPath = path.join(app.isPackaged ? process.resourcesPath : path.join(here, '../../resources'), 'icon.png');

// Must happen before `ready`: app:// behaves like https (secure, standard,
// fetch-capable), so the renderer has a real origin the sender check can pin.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // Startup failures (a locked database, a broken keychain) must not leave a windowless process behind.
      console.error('Trove could not start:', error instanceof Error ? error.message : String(error));
      dialog.showErrorBox('Trove could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

/**
 * Every page stays on our UI: no webviews, no popups, no navigation away.
 * A link it tries to open goes to the system browser through the same
 * opener as the openExternal command (indexed sources and provider pages at
 * once, other hosts after a confirmation).
 */
function lockDownWebContents(links: LinkOpener, logger: Logger): void {
  const openOutside = (url: string): void => {
    // Never the URL itself in the log: it may carry tokens or private paths.
    links.open(url).catch((error: unknown) => logger.warn('did not open a link', { code: toAppError(error).code }));
  };
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
    const blockForeign = (e: { preventDefault(): void }, url: string): void => {
      if (!isAppUrl(url, appOrigin)) {
        e.preventDefault();
        openOutside(url);
      }
    };
    contents.on('will-navigate', blockForeign);
    contents.on('will-redirect', blockForeign);
  });
}

function showWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** The dispatcher, with the quick-search shortcut bound again whenever the settings change it. */
function rebindingShortcut(dispatcher: Dispatcher, quick: QuickSearch): Dispatcher {
  return {
    async dispatch(command, input) {
      const result = await dispatcher.dispatch(command, input);
      if (command === 'updateSettings' && result.ok) quick.bind((result.value as SettingsView).quickSearchShortcut);
      return result;
    },
  };
}

async function start(): Promise<void> {
  const logger = createLogger({ level: devServerUrl ? 'debug' : 'info' });
  const core = await createTroveApp({
    dataDir: app.getPath('userData'),
    secrets: new KeytarSecretStore(),
    logger,
    version: app.getVersion(),
  });
  const getWindow = (): BrowserWindow | null => mainWindow;
  const known = createKnownLinks(core.core.db);
  const links = createLinkOpener({ known, getWindow });
  const quick = createQuickSearch({
    url: devServerUrl ? `${devServerUrl}#/quick` : `${APP_ORIGIN}/index.html#/quick`,
    options: { preloadPath, iconPath, dark: nativeTheme.shouldUseDarkColors, devTools: isDevelopment },
    logger: logger.child('quick-search'),
  });
  const dispatcher = rebindingShortcut(
    createDispatcher(core.api, logger, {
      shell: createShellApi({
        getWindow,
        links,
        known,
        hideQuickSearch: () => quick.hide(),
        quickSearchShortcutStatus: () => quick.shortcutStatus(),
      }),
    }),
    quick,
  );
  const settings = await dispatcher.dispatch('getSettings', {});
  if (settings.ok) quick.bind((settings.value as SettingsView).quickSearchShortcut);
  // Before the window exists, so its web contents are locked down from the start.
  lockDownWebContents(links, logger.child('links'));

  const csp = contentSecurityPolicy({ dev: Boolean(devServerUrl) });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === new URL(APP_ORIGIN).host ? await loadStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': csp },
    });
  });

  mainWindow = new BrowserWindow(
    mainWindowOptions({ preloadPath, iconPath, dark: nativeTheme.shouldUseDarkColors, devTools: isDevelopment }),
  );
  const win = mainWindow;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });

  const pushToWindow = new Set<(event: TroveEvent) => void>();
  const subscribeAll = (listener: (event: TroveEvent) => void): (() => void) => {
    const off = core.onEvent(listener);
    pushToWindow.add(listener);
    return () => {
      off();
      pushToWindow.delete(listener);
    };
  };
  const navigate = (screen: Screen, action?: 'pick'): void => {
    showWindow();
    for (const listener of pushToWindow) listener({ type: 'shell.navigate', screen, ...(action ? { action } : {}) });
  };

  const disposeIpc = registerIpc({
    dispatcher,
    getWindows: () => [mainWindow, quick.window()].filter((w): w is BrowserWindow => w !== null),
    appOrigin,
    logger,
  });
  const stopForwarding = forwardEvents(win, subscribeAll);

  Menu.setApplicationMenu(
    buildAppMenu(
      // The renderer runs the pickers itself so the import or the new connector shows its progress there.
      { navigate, importFiles: () => navigate('import', 'pick'), addFolder: () => navigate('connectors', 'pick') },
      isDevelopment,
    ),
  );

  let tray: ReturnType<typeof createTray> | null = null;
  try {
    tray = createTray({ iconPath, show: showWindow, quickSearch: () => quick.show(), quit: () => app.quit() });
  } catch (error) {
    // Some Linux desktops have no tray; the app works without it.
    logger.warn('no tray available', { errorName: error instanceof Error ? error.name : typeof error });
  }
  const refreshTray = async (): Promise<void> => {
    const [counts, storage] = await Promise.all([
      dispatcher.dispatch('jobCounts', {}),
      dispatcher.dispatch('getStorageStatus', {}),
    ]);
    if (counts.ok && tray) {
      tray.update(
        counts.value as Parameters<typeof tray.update>[0],
        storage.ok ? (storage.value as Parameters<typeof tray.update>[1]) : undefined,
      );
    }
  };
  const stopTray = core.onEvent((event: TroveEvent) => {
    if ((event.type === 'job' && event.phase !== 'progress') || event.type === 'storage.changed') void refreshTray();
  });
  void refreshTray();

  await (devServerUrl ? win.loadURL(devServerUrl) : win.loadURL(`${APP_ORIGIN}/index.html`));

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    stopTray();
    stopForwarding();
    disposeIpc();
    tray?.destroy();
    quick.dispose();
    core.close().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
}
