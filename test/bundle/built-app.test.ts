/**
 * Smoke test of the BUILT desktop app: out/main/index.js (and the worker
 * entries beside it) run under plain Node with the electron stand-in, and one
 * real flow goes through the registered IPC handler the way the window's
 * renderer would call it: download the default model, pick and add a
 * folder, wait for the indexing events pushed to the window, search.
 *
 * It catches what tests on the TypeScript sources cannot: a worker entry
 * missing from the build or looked up at the wrong path, a native module or
 * sqlite-vec's library that does not load from the bundle, a runtime import
 * of a package that is not shipped, a native library that electron-builder
 * would leave inside the asar archive. Run: `npm run build && npx vitest run
 * --config vitest.e2e.config.ts test/bundle` (`npm test` does both).
 */
import { serveTinyAsDefaultModel } from '../helpers/default-model-hub';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_MODELS } from '../../src/main/core/embeddings/manifests';
import type { TroveEventOf } from '../../src/shared/contract';
import type { FakeModelHub } from '../fakes/model-hub-server';
import { makeDocx, makePdf } from '../fixtures/documents';
import { loadBuilderConfig, ROOT } from '../packaging/builder-config';
import { menuItems, startBuiltApp, type BuiltApp, type DialogRequest } from './built-app';

const DEFAULT_MODEL = LOCAL_MODELS[0]!;
/** True inside scripts/with-keyring.sh (as `npm test` runs), where the keychain is a private, unlocked one. */
const PRIVATE_KEYCHAIN = process.env.TROVE_IN_KEYRING_SESSION === '1';

let hub: FakeModelHub;
let scratch: string;
let notes: string;
let app: BuiltApp;

const lastDialog = (): DialogRequest | undefined => app.dialogs.at(-1);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'trove-bundle-files-'));
  notes = path.join(scratch, 'notes');
  await mkdir(notes);
  await writeFile(path.join(notes, 'bread.md'), '# Baking\n\nA sourdough starter is fed flour and water daily.\n');
  await writeFile(path.join(notes, 'orbits.pdf'), await makePdf(['Kepler described elliptical planetary orbits.']));
  await writeFile(
    path.join(notes, 'garden.docx'),
    await makeDocx([{ heading: 'Garden', level: 1, paragraphs: ['Compost wants greens and browns in balance.'] }]),
  );
  hub = await serveTinyAsDefaultModel(scratch);
  app = await startBuiltApp({ packaged: true, env: { TROVE_MODEL_HUB_URL: hub.baseUrl } });
  await app.waitFor(() => app.loads[0], 'the window to load the UI');
});

afterAll(async () => {
  await app?.close();
  await hub?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the built app, started as a packaged app', () => {
  it('opens one locked-down window without DevTools, serving the built UI under its CSP', async () => {
    expect(app.loads).toEqual(['app://trove/index.html']);
    expect(app.windows).toHaveLength(1);
    expect(app.windows[0]!.webPreferences).toMatchObject({
      devTools: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: path.join(ROOT, 'out/preload/index.cjs'),
    });
    const roles = menuItems(app.menus.at(-1) ?? []).map((item) => item.role?.toLowerCase());
    expect(roles).not.toContain('toggledevtools');
    expect(roles).not.toContain('reload');
    // The icon comes from electron-builder's extraResources, as installed.
    expect(app.images.length).toBeGreaterThan(0);
    expect(app.images.every((image) => image.exists)).toBe(true);

    const page = await app.fetch('app://trove/index.html');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /<script[^>]+src="([^"]+)"/.exec(page.text ?? '')?.[1];
    expect(script, 'index.html names its script').toBeTruthy();
    expect((await app.fetch(new URL(script!, 'app://trove/index.html').href)).size).toBeGreaterThan(10_000);
    // The protocol serves out/renderer only: no way up to the main bundle, no other host.
    expect((await app.fetch('app://trove/..%2fmain%2findex.js')).status).toBe(404);
    expect((await app.fetch('app://elsewhere/index.html')).status).toBe(404);
    expect(await app.permission('media')).toBe(false);
  });

  it('answers only its own window top frame', async () => {
    expect(await app.call('getAppInfo')).toMatchObject({ ok: true });
    for (const stranger of ['subframe', 'other-window'] as const) {
      expect(await app.call('getAppInfo', {}, stranger)).toEqual({
        ok: false,
        error: { code: 'VALIDATION', message: 'Refused: this page is not a Trove window.' },
      });
    }
    expect(await app.call('addLocalFolder', { path: 'relative/path' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('downloads the default model, indexes a picked folder and finds its documents', async () => {
    const download = await app.call('downloadModel', { modelId: DEFAULT_MODEL.id });
    expect(download).toMatchObject({ ok: true });
    await app.waitFor(
      () =>
        app.events.find(
          (e): e is TroveEventOf<'model.download'> =>
            e.type === 'model.download' && e.modelId === DEFAULT_MODEL.id && e.status === 'ready',
        ),
      'the model download to finish',
    );

    app.answerDialogs((request) =>
      request.kind === 'showOpenDialog' ? { canceled: false, filePaths: [notes] } : { response: 0 },
    );
    const picked = await app.call('pickPaths', { kind: 'folder' });
    expect(lastDialog()?.options).toMatchObject({ properties: ['openDirectory'] });
    expect(picked).toEqual({ ok: true, value: { paths: [notes] } });

    const added = await app.call('addLocalFolder', { path: notes, name: 'Notes' });
    expect(added).toMatchObject({ ok: true });
    const connectorId = added.ok ? added.value.connector.id : '';
    const finished = await app.waitFor(
      () =>
        app.events.find(
          (e): e is TroveEventOf<'sync.finished'> => e.type === 'sync.finished' && e.connectorId === connectorId,
        ),
      'the first sync to finish',
    );
    expect(finished).toMatchObject({ status: 'success', documentsFailed: 0 });
    // Documents are not announced one by one (runs aggregate them), so the list is read.
    const completed = async () => {
      const listed = await app.call('listDocuments', { connectorId, status: ['completed'] });
      return new Set(listed.ok ? listed.value.items.map((d) => d.title) : []);
    };
    await app.waitFor(async () => (await completed()).size === 3, 'three documents to be indexed');
    expect([...(await completed())].sort()).toEqual(['bread.md', 'garden.docx', 'orbits.pdf']);

    // PDF (pdf.js) and DOCX (mammoth) are parsed in the parser worker, and every document is chunked there.
    for (const [query, title] of [
      ['sourdough starter', 'bread.md'],
      ['elliptical orbits', 'orbits.pdf'],
      ['compost greens browns', 'garden.docx'],
    ] as const) {
      const found = await app.call('search', { query, mode: 'keyword' });
      const doc = found.ok ? found.value.groups[0]?.document : undefined;
      // Titled from inside where the file has a title (the Markdown's H1), named by the file otherwise.
      expect(doc && (doc.fileName ?? doc.title), query).toBe(title);
    }
    const baking = await app.call('search', { query: 'sourdough', mode: 'keyword' });
    expect(baking.ok && baking.value.groups[0]?.document).toMatchObject({ title: 'Baking', fileName: 'bread.md' });

    // Vectors come from the bundled embedding worker; semantic search only returns documents that have them.
    const semantic = await app.waitFor(async () => {
      const result = await app.call('search', { query: 'planetary orbits', mode: 'semantic' });
      return result.ok && result.value.mode === 'semantic' && result.value.groups.length === 3 && result.value;
    }, 'semantic search to return every document');
    expect(semantic.groups.map((g) => g.document.fileName ?? g.document.title).sort()).toEqual([
      'bread.md',
      'garden.docx',
      'orbits.pdf',
    ]);
    // Hybrid search takes its first pass by meaning on the bundled vector-scan worker once it has started.
    for (let i = 0; i < 3; i++) {
      const hybrid = await app.call('search', { query: 'orbits of planets', mode: 'hybrid' });
      expect(hybrid.ok && hybrid.value.mode).toBe('hybrid');
      const first = hybrid.ok ? hybrid.value.groups[0]?.document : undefined;
      expect(first && (first.fileName ?? first.title)).toBe('orbits.pdf');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(app.output()).not.toMatch(/search thread/);
    await app.waitFor(() => app.tooltips.at(-1) === 'Trove: up to date', 'the tray to say the queue is idle');
  });

  it.skipIf(!PRIVATE_KEYCHAIN)('keeps a secret in the OS keychain through the bundled keytar', async () => {
    expect(await app.call('setGeminiKey', { apiKey: 'bundle-smoke-key-6789' })).toMatchObject({ ok: true });
    const settings = await app.call('getSettings');
    expect(settings.ok && settings.value.geminiKey).toEqual({ set: true, masked: '••••6789' });
    expect(await app.call('clearGeminiKey')).toMatchObject({ ok: true });
  });

  describe('what the window can get the shell to open', () => {
    it('reveals the files it indexed, and no other path', async () => {
      const before = app.shellCalls.length;
      const indexed = path.join(notes, 'bread.md');
      expect(await app.call('revealPath', { path: indexed })).toEqual({ ok: true, value: { revealed: true } });
      for (const other of [
        '/etc/passwd',
        path.join(notes, '..', 'hub', 'config.json'),
        path.join(notes, 'missing.md'),
      ]) {
        expect(await app.call('revealPath', { path: other }), other).toMatchObject({
          ok: false,
          error: { code: 'NOT_FOUND' },
        });
      }
      expect(app.shellCalls.slice(before)).toEqual([{ method: 'showItemInFolder', arg: indexed }]);
    });

    it('binds the quick-search shortcut from the settings, again when it changes, and not when it is off', async () => {
      expect(app.shellCalls).toContainEqual({ method: 'globalShortcut.register', arg: 'CommandOrControl+Shift+Space' });
      const before = app.shellCalls.length;
      expect(await app.call('updateSettings', { quickSearchShortcut: 'Alt+F12' })).toMatchObject({ ok: true });
      expect(await app.call('updateSettings', { quickSearchShortcut: null })).toMatchObject({
        ok: true,
        value: { quickSearchShortcut: null },
      });
      expect(await app.call('updateSettings', { quickSearchShortcut: 'Banana' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION' },
      });
      expect(app.shellCalls.slice(before)).toEqual([
        { method: 'globalShortcut.unregister', arg: 'CommandOrControl+Shift+Space' },
        { method: 'globalShortcut.register', arg: 'Alt+F12' },
        { method: 'globalShortcut.unregister', arg: 'Alt+F12' },
      ]);
      expect(await app.call('hideQuickSearch', {})).toEqual({ ok: true, value: { hidden: false } });
    });

    it('says when another app holds the quick-search shortcut, so Settings can tell the person', async () => {
      expect(await app.call('updateSettings', { quickSearchShortcut: 'Alt+F12' })).toMatchObject({ ok: true });
      expect(await app.call('quickSearchShortcutStatus', {})).toEqual({
        ok: true,
        value: { shortcut: 'Alt+F12', registered: true },
      });
      // The stand-in's desktop has another app holding this one (electron-stand-in's TAKEN_SHORTCUT).
      expect(await app.call('updateSettings', { quickSearchShortcut: 'CommandOrControl+Alt+T' })).toMatchObject({
        ok: true,
      });
      expect(await app.call('quickSearchShortcutStatus', {})).toEqual({
        ok: true,
        value: { shortcut: 'CommandOrControl+Alt+T', registered: false },
      });
      await app.call('updateSettings', { quickSearchShortcut: null });
      expect(await app.call('quickSearchShortcutStatus', {})).toEqual({
        ok: true,
        value: { shortcut: null, registered: false },
      });
    });

    it('opens the files it indexed in their app, and no other path', async () => {
      const before = app.shellCalls.length;
      const indexed = path.join(notes, 'orbits.pdf');
      expect(await app.call('openPath', { path: indexed })).toEqual({ ok: true, value: { opened: true } });
      for (const other of ['/etc/passwd', '/bin/sh', path.join(notes, '..', 'notes', 'missing.pdf')]) {
        expect(await app.call('openPath', { path: other }), other).toMatchObject({
          ok: false,
          error: { code: 'NOT_FOUND' },
        });
      }
      expect(app.shellCalls.slice(before)).toEqual([{ method: 'openPath', arg: indexed }]);
    });

    it("opens a provider's page at once, any other host only once the person agrees, and nothing but http(s)", async () => {
      const shellBefore = app.shellCalls.length;
      const dialogsBefore = app.dialogs.length;
      const consent = 'https://accounts.google.com/o/oauth2/v2/auth?client_id=trove&state=s1';
      expect(await app.call('openExternal', { url: consent })).toEqual({ ok: true, value: { opened: true } });
      expect(app.dialogs.length).toBe(dialogsBefore);

      const unfamiliar = 'https://unknown.example/page';
      app.answerDialogs((request) => ({ response: (request.options.cancelId as number) ?? 0 }));
      expect(await app.call('openExternal', { url: unfamiliar })).toEqual({ ok: true, value: { opened: false } });
      expect(lastDialog()?.options).toMatchObject({
        message: 'Open unknown.example in your browser?',
        buttons: ['Cancel', 'Open Link'],
        defaultId: 0,
      });
      app.answerDialogs((request) => ({ response: (request.options.buttons as string[]).indexOf('Open Link') }));
      expect(await app.call('openExternal', { url: unfamiliar })).toEqual({ ok: true, value: { opened: true } });

      for (const url of [
        'file:///etc/passwd',
        'javascript:alert(1)',
        'smb://host/share',
        'https://u:p@unknown.example/',
      ]) {
        expect(await app.call('openExternal', { url }), url).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION' },
        });
      }
      expect(app.shellCalls.slice(shellBefore)).toEqual([
        { method: 'openExternal', arg: consent },
        { method: 'openExternal', arg: unfamiliar },
      ]);
      expect(app.dialogs.length).toBe(dialogsBefore + 2);
    });

    it('sends window.open and navigation away from the UI through the same checks, one question at a time', async () => {
      const shellBefore = app.shellCalls.length;
      const dialogsBefore = app.dialogs.length;
      let agree!: () => void;
      const agreed = new Promise<void>((resolve) => (agree = resolve));
      app.answerDialogs(async (request) => {
        await agreed;
        return { response: (request.options.buttons as string[]).indexOf('Open Link') };
      });
      expect(await app.openWindow('https://elsewhere.example/a')).toEqual({ action: 'deny' });
      await app.waitFor(() => app.dialogs.length === dialogsBefore + 1, 'the confirmation for window.open');
      expect(lastDialog()?.options.message).toBe('Open elsewhere.example in your browser?');
      // While that question is open, more links are refused without stacking dialogs.
      expect(await app.navigate('https://flood.example/')).toEqual({ prevented: true });
      expect(await app.openWindow('https://flood.example/2')).toEqual({ action: 'deny' });
      agree();
      await app.waitFor(() => app.shellCalls.length === shellBefore + 1, 'the agreed link to open');

      expect(await app.openWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
      expect(await app.navigate('app://trove/index.html#/search')).toEqual({ prevented: false });
      expect(app.dialogs.length).toBe(dialogsBefore + 1);
      expect(app.shellCalls.slice(shellBefore)).toEqual([
        { method: 'openExternal', arg: 'https://elsewhere.example/a' },
      ]);
    });
  });

  describe('what the packaged app needs from node_modules', () => {
    it('imports at run time only packages it ships (dependencies, not devDependencies)', async () => {
      const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      const resolved = (await readFile(app.resolveLog, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { specifier: string; parent: string; url: string });
      const packageOf = (specifier: string): string =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
      const imported = new Set(resolved.filter((r) => !r.url.startsWith('node:')).map((r) => packageOf(r.specifier)));
      // The workers' imports are there too: the embedder's runtime and pdf.js in the parser.
      expect(imported).toContain('@huggingface/transformers');
      expect(imported).toContain('pdfjs-dist');
      expect([...imported].filter((name) => !(name in manifest.dependencies))).toEqual([]);
    });

    it.skipIf(process.platform !== 'linux')(
      'loads every native library from a path electron-builder unpacks from the asar',
      async () => {
        const modules = `${await realpath(path.join(ROOT, 'node_modules'))}/`;
        const maps = await readFile(`/proc/${app.pid}/maps`, 'utf8');
        const loaded = [
          ...new Set(
            maps
              .split('\n')
              .map((line) => line.slice(line.indexOf('/')))
              .filter((file) => file.startsWith(modules)),
          ),
        ].map((file) => `node_modules/${file.slice(modules.length)}`);
        // The ones this flow must have used: SQLite, sqlite-vec, the ONNX runtime (and the keychain when it ran).
        const expected = [/better_sqlite3\.node$/, /sqlite-vec[^/]*\/vec0\.so$/, /onnxruntime_binding\.node$/];
        if (PRIVATE_KEYCHAIN) expected.push(/keytar\.node$/);
        for (const name of expected) {
          expect(
            loaded.some((file) => name.test(file)),
            String(name),
          ).toBe(true);
        }
        const asarUnpack = (await loadBuilderConfig()).asarUnpack ?? [];
        const unpacked = picomatch(Array.isArray(asarUnpack) ? asarUnpack : [asarUnpack], { dot: true });
        expect(loaded.filter((file) => !unpacked(file))).toEqual([]);
      },
    );
  });
});

describe('quitting and starting again', () => {
  it('quits cleanly, and an unpackaged start on the same data finds the documents and offers DevTools', async () => {
    expect(await app.quit()).toBe(0);
    expect(app.errorBoxes).toEqual([]);

    const again = await startBuiltApp({ packaged: false, userData: app.userData });
    try {
      await again.waitFor(() => again.loads[0], 'the window to load the UI');
      expect(again.windows[0]!.webPreferences).toMatchObject({ devTools: true });
      expect(menuItems(again.menus.at(-1) ?? []).map((item) => item.role)).toContain('toggleDevTools');
      const found = await again.call('search', { query: 'sourdough', mode: 'keyword' });
      expect(found.ok && found.value.groups[0]?.document.fileName).toBe('bread.md');
      expect(await again.quit()).toBe(0);
    } finally {
      await again.close();
    }
  });
});
