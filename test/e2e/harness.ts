/**
 * End-to-end harness: starts the browser mode on a temporary data dir, opens
 * it in the system Chromium (headless) and keeps screenshots under
 * test-results/screenshots/.
 *
 * Backend: the real core (src/main/core/app.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CoreOptions } from '../../src/main/core/app';
import type { TroveApi, TroveEvent } from '../../src/shared/contract';
import { createDispatcher } from '../../src/main/core/api/dispatch';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { createTroveApp } from '../../src/main/core/api/trove-app';
import { startServeServer } from '../../src/main/serve';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = path.join(ROOT, 'out/renderer');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface CoreLike {
  api: TroveApi;
  onEvent(listener: (event: TroveEvent) => void): () => void;
  close(): Promise<void>;
}

export interface E2EApp {
  page: Page;
  browser: Browser;
  /** The page's browser profile: another page in it is another tab (it shares the session cookie). */
  context: BrowserContext;
  /** The printed URL, with the access token. */
  url: string;
  /** The server's origin, without the token (a bookmark). */
  origin: string;
  dataDir: string;
  /** A scratch folder for fixture files (inside the temp root, outside the data dir). */
  filesDir: string;
  api: TroveApi;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

async function createBackend(dataDir: string, core: Partial<CoreOptions>): Promise<CoreLike> {
  const app = await createTroveApp({
    dataDir,
    secrets: new MemorySecretStore(),
    logger: silentLogger,
    version: '0.0.0-e2e',
    ...core,
  });
  return { api: app.api, onEvent: app.onEvent, close: () => app.close() };
}

/** The API of a core that may not have started yet: each call waits for it. */
function apiOnceStarted(core: Promise<CoreLike>): TroveApi {
  return new Proxy({} as TroveApi, {
    get: (_target, name) =>
      typeof name === 'string' && name !== 'then'
        ? async (input: unknown) => {
            const api = (await core).api as unknown as Record<string, (input: unknown) => unknown>;
            if (typeof api[name] !== 'function') throw new Error(`The core has no command ${name}.`);
            return api[name](input);
          }
        : undefined,
  });
}

export interface E2EOptions {
  /** Runs on the empty data folder before the core opens it (e.g. mounts a small disk there). */
  prepareDataDir?(dataDir: string): void | Promise<void>;
  /** Runs once the core is closed, before the temp folder is deleted (e.g. unmounts that disk). */
  releaseDataDir?(dataDir: string): void | Promise<void>;
  /** Core options (a fake model hub, ...). */
  core?: Partial<CoreOptions>;
  /**
   * Load the page before the core starts (its calls wait for the core), so
   * work the core starts by itself, such as bringing a library to a new
   * version, is not over before the screen is first read.
   */
  pageFirst?: boolean;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export async function startE2EApp(options: E2EOptions = {}): Promise<E2EApp> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` (or `npm run test:e2e`, which builds first).');
  }
  const root = await mkdtemp(path.join(tmpdir(), 'trove-e2e-'));
  const dataDir = path.join(root, 'data');
  const filesDir = path.join(root, 'files');
  await mkdir(dataDir, { recursive: true });
  await mkdir(filesDir, { recursive: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await options.prepareDataDir?.(dataDir);
  let startCore!: () => void;
  const coreStarted = new Promise<CoreLike>((resolve, reject) => {
    startCore = () => createBackend(dataDir, options.core ?? {}).then(resolve, reject);
  });
  // Handled where it is awaited below; marked here so a failure before then is not reported as unhandled.
  coreStarted.catch(() => {});
  if (!options.pageFirst) startCore();
  const dispatcher = createDispatcher(apiOnceStarted(coreStarted), silentLogger, { validateOutput: true });
  const server = await startServeServer({
    dispatcher,
    onEvent: (listener) => {
      let off: (() => void) | undefined;
      let ended = false;
      void coreStarted.then((core) => {
        if (!ended) off = core.onEvent(listener);
      });
      return () => {
        ended = true;
        off?.();
      };
    },
    rendererDir: RENDERER_DIR,
    uploadDir: path.join(dataDir, 'uploads'),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A CSP violation means some code would silently not run in the desktop app.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  await page.goto(server.url);
  if (options.pageFirst) startCore();
  const core = await coreStarted;
  await page.waitForSelector('[data-testid^="screen-"]');
  return {
    page,
    browser,
    context,
    url: server.url,
    origin: server.origin,
    dataDir,
    filesDir,
    api: core.api,
    async screenshot(name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await browser.close();
      await server.close();
      await core.close();
      await options.releaseDataDir?.(dataDir);
      await rm(root, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`The page reported errors: ${pageErrors.join('; ')}`);
    },
  };
}
