/**
 * Runs the BUILT main bundle (out/main/index.js, from `electron-vite build`)
 * in a child Node process with the electron stand-in (electron-stand-in/),
 * and plays the renderer and the person: IPC calls as the window's top frame
 * (or as a stranger), answers to native dialogs, and what the shell was asked
 * to open. Everything else (the core, its workers, native modules, sqlite-vec)
 * is the real bundle loading the real node_modules.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  type CommandName,
  type CommandOutput,
  type Result,
  type TroveEvent,
} from '../../src/shared/contract';
import { loadBuilderConfig, ROOT } from '../packaging/builder-config';

export const MAIN_BUNDLE = path.join(ROOT, 'out/main/index.js');
const REGISTER_HOOKS = path.join(import.meta.dirname, 'electron-stand-in/register.mjs');

/** Who an IPC call claims to come from: our window's top frame, a frame inside it, or another window. */
export type Sender = 'window' | 'subframe' | 'other-window';

export interface DialogRequest {
  kind: 'showMessageBox' | 'showOpenDialog';
  options: Record<string, unknown>;
}

export interface MenuItem {
  label?: string;
  role?: string;
  accelerator?: string;
  submenu?: MenuItem[];
}

type Awaitable<T> = T | Promise<T>;

export interface BuiltApp {
  pid: number;
  userData: string;
  /** JSON lines: every package the bundle imported (see hooks.mjs). */
  resolveLog: string;
  windows: Array<{ webPreferences?: Record<string, unknown>; icon?: string }>;
  /** URLs the window finished loading. */
  loads: string[];
  menus: MenuItem[][];
  images: Array<{ path: string; exists: boolean }>;
  /** The tray's tooltips, in order. */
  tooltips: string[];
  shellCalls: Array<{ method: string; arg: string }>;
  dialogs: DialogRequest[];
  errorBoxes: Array<{ title: string; content: string }>;
  /** Events the bundle pushed to the window, in order. */
  events: TroveEvent[];
  /** How the test answers the next native dialogs. Default: a cancelled dialog. */
  answerDialogs(answer: (request: DialogRequest) => unknown): void;
  call<K extends CommandName>(command: K, input?: unknown, sender?: Sender): Promise<Result<CommandOutput<K>>>;
  /** What a page's window.open(url) gets. */
  openWindow(url: string): Promise<{ action: string }>;
  /** Whether a page's navigation to `url` was stopped. */
  navigate(url: string): Promise<{ prevented: boolean }>;
  /** A request to the app:// protocol, as the window would make it. */
  fetch(url: string): Promise<{ status: number; headers: Record<string, string>; text: string | null; size: number }>;
  /** Whether a page asking for `permission` (camera, notifications...) is granted it. */
  permission(permission: string): Promise<boolean>;
  /** Polls `pick` (sync or async) until it returns a value; fails early with the app's output if it exits. */
  waitFor<T>(pick: () => Awaitable<T | undefined | null | false>, what: string, timeoutMs?: number): Promise<T>;
  /** Quits like the person would; resolves to the exit code. */
  quit(timeoutMs?: number): Promise<number | null>;
  output(): string;
  /** Kills the app if it still runs and deletes its folders (not a userData folder passed in). */
  close(): Promise<void>;
}

/**
 * Starts the bundle. `packaged` plays an installed app (app.isPackaged,
 * process.resourcesPath holding electron-builder.yml's extraResources).
 */
export async function startBuiltApp(options: {
  packaged: boolean;
  env?: Record<string, string>;
  /** Electron's userData folder (the data folder). Default: a new one, deleted by `close`. */
  userData?: string;
}): Promise<BuiltApp> {
  if (!existsSync(MAIN_BUNDLE)) throw new Error('out/main is missing: run `npm run build` first.');
  const root = await mkdtemp(path.join(tmpdir(), 'trove-bundle-'));
  const userData = options.userData ?? path.join(root, 'userData');
  const resources = path.join(root, 'resources');
  const resolveLog = path.join(root, 'resolved.jsonl');
  await mkdir(userData, { recursive: true });
  await mkdir(resources);
  // What electron-builder copies next to app.asar (the tray and window icon).
  for (const entry of (await loadBuilderConfig()).extraResources ?? []) {
    await cp(path.join(ROOT, entry.from), path.join(resources, entry.to), { recursive: true });
  }

  const env: Record<string, string | undefined> = {
    ...process.env,
    TROVE_STANDIN_PACKAGED: options.packaged ? '1' : '0',
    TROVE_STANDIN_USER_DATA: userData,
    TROVE_STANDIN_RESOURCES: resources,
    TROVE_STANDIN_RESOLVE_LOG: resolveLog,
    ...options.env,
  };
  // Nothing of the test runner's environment leaks in: a packaged app runs with none of these.
  for (const name of Object.keys(env)) {
    if (/^(VITEST|NODE_ENV$|NODE_OPTIONS$|ELECTRON_RENDERER_URL$|TROVE_DATA_DIR$)/.test(name)) delete env[name];
  }
  const child = fork(MAIN_BUNDLE, [], {
    cwd: root,
    env,
    execArgv: ['--import', REGISTER_HOOKS],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return connect(child, { root, userData, resolveLog });
}

function connect(child: ChildProcess, paths: { root: string; userData: string; resolveLog: string }): BuiltApp {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );

  let nextId = 1;
  const replies = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let answer: (request: DialogRequest) => unknown = (request) =>
    request.kind === 'showOpenDialog' ? { canceled: true, filePaths: [] } : { response: 0 };

  const app: Omit<
    BuiltApp,
    'call' | 'openWindow' | 'navigate' | 'fetch' | 'permission' | 'waitFor' | 'quit' | 'close'
  > = {
    pid: child.pid!,
    userData: paths.userData,
    resolveLog: paths.resolveLog,
    windows: [],
    loads: [],
    menus: [],
    images: [],
    tooltips: [],
    shellCalls: [],
    dialogs: [],
    errorBoxes: [],
    events: [],
    answerDialogs: (fn) => (answer = fn),
    output: () => output,
  };

  child.on('message', (message: { type: string } & Record<string, unknown>) => {
    switch (message.type) {
      case 'window':
        app.windows.push(message.options as BuiltApp['windows'][number]);
        break;
      case 'loaded':
        app.loads.push(String(message.url));
        break;
      case 'menu':
        app.menus.push(message.template as MenuItem[]);
        break;
      case 'image':
        app.images.push({ path: String(message.path), exists: Boolean(message.exists) });
        break;
      case 'tooltip':
        app.tooltips.push(String(message.text));
        break;
      case 'shell':
        app.shellCalls.push({ method: String(message.method), arg: String(message.arg) });
        break;
      case 'error-box':
        app.errorBoxes.push({ title: String(message.title), content: String(message.content) });
        break;
      case 'send':
        if (message.channel === IPC_EVENT_CHANNEL) app.events.push(message.payload as TroveEvent);
        break;
      case 'ask': {
        const request = { kind: message.kind, options: message.options } as DialogRequest;
        app.dialogs.push(request);
        void Promise.resolve(answer(request)).then((value) => child.send({ type: 'answer', id: message.id, value }));
        break;
      }
      case 'reply': {
        const pending = replies.get(Number(message.id));
        replies.delete(Number(message.id));
        if (message.ok) pending?.resolve(message.value);
        else pending?.reject(new Error(String(message.error)));
        break;
      }
    }
  });

  function request<T>(type: string, payload: Record<string, unknown>): Promise<T> {
    if (exitCode !== undefined) return Promise.reject(new Error(`The app has exited (${exitCode}).\n${output}`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      replies.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ type, id, ...payload });
    });
  }

  return {
    ...app,
    call: (command, input = {}, sender = 'window') =>
      request('invoke', { channel: IPC_CALL_CHANNEL, args: [command, input], sender }),
    openWindow: (url) => request('open-window', { url }),
    navigate: (url) => request('navigate', { url }),
    fetch: (url) => request('fetch', { url }),
    permission: (permission) => request('permission', { permission }),
    async waitFor(pick, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await pick();
        if (value !== undefined && value !== null && value !== false) return value;
        if (exitCode !== undefined)
          throw new Error(`The app exited (${exitCode}) while waiting for ${what}.\n${output}`);
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async quit(timeoutMs = 30_000) {
      if (exitCode !== undefined) return exitCode;
      child.send({ type: 'quit', id: nextId++ });
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout') throw new Error(`The app did not exit within ${timeoutMs} ms of quitting.\n${output}`);
      return result;
    },
    async close() {
      if (exitCode === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
      await rm(paths.root, { recursive: true, force: true });
    },
  };
}

/** Every item of a menu template, submenus included. */
export function menuItems(template: MenuItem[]): MenuItem[] {
  return template.flatMap((item) => [item, ...menuItems(item.submenu ?? [])]);
}
