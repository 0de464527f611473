/**
 * A stand-in for the `electron` module, so the built main bundle (out/main)
 * runs under plain Node in a child process (the Electron binary is not
 * installed where tests run). It implements only what the bundle imports; a
 * new import fails loudly at link time ("does not provide an export named"),
 * which is the cue to add it here.
 *
 * It is a relay, not a simulation of Electron's logic: everything the app
 * decides (which window may call, what a dialog says, what gets opened) is
 * the bundle's own code. The parent test process (test/bundle/built-app.ts)
 * drives it over the fork IPC channel:
 *   parent -> child: invoke | answer | open-window | navigate | fetch | permission | quit
 *   child -> parent: window | loaded | menu | send | shell | image | tooltip | error-box | ask | reply
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

if (typeof process.send !== 'function') {
  throw new Error('The electron stand-in must run in a forked child (it talks to the test over the IPC channel).');
}

const packaged = process.env.TROVE_STANDIN_PACKAGED === '1';
if (packaged) process.resourcesPath = process.env.TROVE_STANDIN_RESOURCES;

/** JSON-safe copy: functions (menu clicks) and class instances become plain data. */
const plain = (value) => JSON.parse(JSON.stringify(value ?? null));
const report = (message) => process.send(plain(message));

let nextAskId = 1;
const pendingAsks = new Map();
/** Asks the test to play the person in front of a native dialog. */
function ask(kind, options) {
  const id = nextAskId++;
  report({ type: 'ask', id, kind, options });
  return new Promise((resolve) => pendingAsks.set(id, resolve));
}

// ---- app -------------------------------------------------------------------

class App extends EventEmitter {
  isPackaged = packaged;
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return new Promise((resolve) => setTimeout(() => (this.emit('ready'), resolve()), 0));
  }
  getPath(name) {
    if (name === 'userData') return process.env.TROVE_STANDIN_USER_DATA;
    throw new Error(`The electron stand-in has no path "${name}".`);
  }
  getVersion() {
    // Electron reports the version of the app's package.json (out/main/index.js -> ../../package.json).
    const manifest = path.resolve(path.dirname(process.argv[1]), '../../package.json');
    return JSON.parse(readFileSync(manifest, 'utf8')).version;
  }
  quit() {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) process.exit(0);
  }
  exit(code = 0) {
    process.exit(code);
  }
}
export const app = new App();

// ---- windows ---------------------------------------------------------------

let nextContentsId = 1;
const windows = [];

class WebContents extends EventEmitter {
  id = nextContentsId++;
  mainFrame = { url: '' };
  windowOpenHandler = null;
  send(channel, payload) {
    report({ type: 'send', channel, payload });
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
    report({ type: 'window', options });
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    this.webContents.emit('did-start-loading');
    const response = await fetchFromProtocol(url);
    if (!response.ok) throw new Error(`ERR_FILE_NOT_FOUND: ${url} answered ${response.status}`);
    this.webContents.mainFrame.url = url;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
    report({ type: 'loaded', url });
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {}
  focus() {}
}

// ---- protocol and session --------------------------------------------------

const protocolHandlers = new Map();
async function fetchFromProtocol(url) {
  const scheme = new URL(url).protocol.replace(/:$/, '');
  const handler = protocolHandlers.get(scheme);
  if (!handler) throw new Error(`The electron stand-in loads only registered schemes; "${scheme}" has no handler.`);
  return handler(new Request(url));
}

export const protocol = {
  privileged: [],
  registerSchemesAsPrivileged(schemes) {
    this.privileged.push(...schemes);
  },
  handle(scheme, handler) {
    protocolHandlers.set(scheme, handler);
  },
};

const sessionHandlers = { permissionRequest: null, permissionCheck: null, headersReceived: null };
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) => (sessionHandlers.permissionRequest = handler),
    setPermissionCheckHandler: (handler) => (sessionHandlers.permissionCheck = handler),
    webRequest: { onHeadersReceived: (handler) => (sessionHandlers.headersReceived = handler) },
  },
};

// ---- ipc, dialogs, shell ---------------------------------------------------

const ipcHandlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
};

/** dialog.showX(window?, options): Electron's optional first argument. */
const optionsOf = (args) => (args.length > 1 ? args[1] : args[0]);
export const dialog = {
  showMessageBox: (...args) => ask('showMessageBox', optionsOf(args)),
  showOpenDialog: (...args) => ask('showOpenDialog', optionsOf(args)),
  showErrorBox: (title, content) => report({ type: 'error-box', title, content }),
};

export const shell = {
  async openExternal(url) {
    report({ type: 'shell', method: 'openExternal', arg: url });
  },
  showItemInFolder(fullPath) {
    report({ type: 'shell', method: 'showItemInFolder', arg: fullPath });
  },
  async openPath(fullPath) {
    report({ type: 'shell', method: 'openPath', arg: fullPath });
    return '';
  },
};

// ---- menu, tray, images, theme ---------------------------------------------

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => report({ type: 'menu', template: menu?.template ?? null }),
};

export const nativeImage = {
  createFromPath(file) {
    const exists = existsSync(file);
    report({ type: 'image', path: file, exists });
    const image = { resize: () => image, isEmpty: () => !exists };
    return image;
  },
};

export class Tray extends EventEmitter {
  setToolTip(text) {
    report({ type: 'tooltip', text });
  }
  setContextMenu() {}
  destroy() {}
}

/** Global shortcuts, reported like shell calls; none is ever held by another app here. */
/** A shortcut another app on the test's desktop already holds: the system refuses it. */
export const TAKEN_SHORTCUT = 'CommandOrControl+Alt+T';

export const globalShortcut = {
  register(accelerator) {
    report({ type: 'shell', method: 'globalShortcut.register', arg: accelerator });
    return accelerator !== TAKEN_SHORTCUT;
  },
  unregister(accelerator) {
    report({ type: 'shell', method: 'globalShortcut.unregister', arg: accelerator });
  },
};

export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false });

// ---- the test's requests ---------------------------------------------------

/** The IPC event a renderer frame would produce: our window's top frame, a subframe of it, or another window. */
function senderEvent(kind) {
  const win = windows[0];
  if (!win) throw new Error('No window yet.');
  const contents = win.webContents;
  if (kind === 'subframe') return { sender: contents, senderFrame: { url: contents.mainFrame.url } };
  if (kind === 'other-window') {
    const other = { id: 10_000, mainFrame: { url: contents.mainFrame.url } };
    return { sender: other, senderFrame: other.mainFrame };
  }
  return { sender: contents, senderFrame: contents.mainFrame };
}

const requests = {
  async invoke({ channel, args, sender }) {
    const handler = ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(senderEvent(sender ?? 'window'), ...args);
  },
  async 'open-window'({ url }) {
    return windows[0].webContents.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window' });
  },
  async navigate({ url }) {
    let prevented = false;
    windows[0].webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return { prevented };
  },
  async fetch({ url }) {
    const response = await fetchFromProtocol(url);
    const body = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text: /^text\//.test(response.headers.get('content-type') ?? '') ? body.toString('utf8') : null,
      size: body.length,
    };
  },
  async permission({ permission }) {
    return new Promise((resolve) => sessionHandlers.permissionRequest(windows[0].webContents, permission, resolve));
  },
  async quit() {
    app.quit();
    return null;
  },
};

// A test that dies must not leave the app running.
process.on('disconnect', () => process.exit(1));

process.on('message', (message) => {
  if (message.type === 'answer') {
    pendingAsks.get(message.id)?.(message.value);
    pendingAsks.delete(message.id);
    return;
  }
  const request = requests[message.type];
  if (!request) return report({ type: 'reply', id: message.id, ok: false, error: `Unknown request ${message.type}` });
  Promise.resolve()
    .then(() => request(message))
    .then(
      (value) => report({ type: 'reply', id: message.id, ok: true, value }),
      (error) => report({ type: 'reply', id: message.id, ok: false, error: String(error?.stack ?? error) }),
    );
});
