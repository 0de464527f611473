import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/shared/contract';
import {
  APP_ORIGIN,
  decideExternalLink,
  isAllowedExternalUrl,
  isAppUrl,
  isTrustedSender,
  mainWindowOptions,
  quickWindowOptions,
  rendererOrigin,
} from '../../src/main/shell/security';
import { syncStateLabel } from '../../src/main/shell/sync-state';

describe('BrowserWindow options', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    const options = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', devTools: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(options.show).toBe(false);
  });

  it('allows DevTools only when asked to (development)', () => {
    expect(mainWindowOptions({ preloadPath: '/p', devTools: true }).webPreferences?.devTools).toBe(true);
    expect(mainWindowOptions({ preloadPath: '/p', devTools: false }).webPreferences?.devTools).toBe(false);
  });
});

describe('the quick-search window', () => {
  it('floats frameless above other apps with the main window’s locked-down renderer', () => {
    const params = { preloadPath: '/app/out/preload/index.cjs', devTools: false };
    const options = quickWindowOptions(params);
    expect(options).toMatchObject({ frame: false, alwaysOnTop: true, skipTaskbar: true, show: false });
    expect(options.webPreferences).toEqual(mainWindowOptions(params).webPreferences);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (policy: string) =>
    new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it('allows only our own origin in production', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(inline|eval)|\*/);
  });

  it('relaxes only for the Vite dev server', () => {
    const csp = directives(contentSecurityPolicy({ dev: true }));
    expect(csp.get('script-src')).toContain("'unsafe-inline'");
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });
});

describe('navigation and external links', () => {
  it('opens only http(s) links without credentials in the system browser', () => {
    expect(isAllowedExternalUrl('https://docs.google.com/document/d/abc')).toBe(true);
    expect(isAllowedExternalUrl('http://example.com')).toBe(true);
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id',
      'https://user:pw@example.com',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalUrl(bad)).toBe(false);
    }
  });

  it('opens indexed sources and provider pages at once, asks for other hosts, refuses other schemes', () => {
    const known = {
      isIndexedSource: (url: string) => url === 'https://wiki.example.com/page?id=1',
      isProviderPage: (url: string) => url.startsWith('https://accounts.google.com/'),
    };
    expect(decideExternalLink('https://wiki.example.com/page?id=1', known)).toEqual({
      action: 'open',
      url: 'https://wiki.example.com/page?id=1',
    });
    expect(decideExternalLink('https://accounts.google.com/o/oauth2/v2/auth?x=1', known)).toMatchObject({
      action: 'open',
    });
    expect(decideExternalLink('https://wiki.example.com/other', known)).toEqual({
      action: 'confirm',
      url: 'https://wiki.example.com/other',
      host: 'wiki.example.com',
    });
    // The dialog names the punycode host, so a look-alike name shows as what it is.
    expect(decideExternalLink('https://аpple.com/login', known)).toMatchObject({
      action: 'confirm',
      host: 'xn--pple-43d.com',
    });
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:/id', 'https://u:p@example.com']) {
      expect(decideExternalLink(bad, { isIndexedSource: () => true, isProviderPage: () => true })).toEqual({
        action: 'refuse',
      });
    }
  });

  it('recognises our own pages only', () => {
    expect(rendererOrigin(undefined)).toBe(APP_ORIGIN);
    expect(rendererOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(isAppUrl('app://trove/index.html#/search', APP_ORIGIN)).toBe(true);
    expect(isAppUrl('app://evil/index.html', APP_ORIGIN)).toBe(false);
    expect(isAppUrl('https://trove.example', APP_ORIGIN)).toBe(false);
    expect(isAppUrl('file:///app/out/renderer/index.html', APP_ORIGIN)).toBe(false);
  });
});

describe('IPC sender check', () => {
  const expected = { webContentsId: 7, appOrigin: APP_ORIGIN };
  it('accepts the top frame of our window showing our UI', () => {
    expect(isTrustedSender({ frameUrl: 'app://trove/index.html', isMainFrame: true, webContentsId: 7 }, expected)).toBe(
      true,
    );
  });
  it('refuses other windows, subframes, foreign pages and a missing window', () => {
    expect(isTrustedSender({ frameUrl: 'app://trove/index.html', isMainFrame: true, webContentsId: 8 }, expected)).toBe(
      false,
    );
    expect(
      isTrustedSender({ frameUrl: 'app://trove/index.html', isMainFrame: false, webContentsId: 7 }, expected),
    ).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 7 }, expected)).toBe(
      false,
    );
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true, webContentsId: 7 }, expected)).toBe(false);
    expect(
      isTrustedSender(
        { frameUrl: 'app://trove/index.html', isMainFrame: true, webContentsId: 7 },
        { ...expected, webContentsId: null },
      ),
    ).toBe(false);
  });
});

describe('tray label', () => {
  it('says what the queue is doing', () => {
    expect(syncStateLabel({ queued: 2, running: 1, failed: 0 })).toBe('Trove: syncing (1 running, 2 queued)');
    expect(syncStateLabel({ queued: 0, running: 0, failed: 1 })).toBe('Trove: 1 failed job');
    expect(syncStateLabel({ queued: 0, running: 0, failed: 0 })).toBe('Trove: up to date');
  });

  it('says first that work is paused while the data disk is full or failing', () => {
    const busy = { queued: 5, running: 2, failed: 0 };
    expect(syncStateLabel(busy, { status: 'full' })).toBe('Trove: paused, the disk holding its data is full');
    expect(syncStateLabel(busy, { status: 'io' })).toBe('Trove: paused, the disk holding its data reports errors');
    expect(syncStateLabel(busy, { status: 'ok' })).toBe('Trove: syncing (2 running, 5 queued)');
  });
});
