import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellApi, TroveApi } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { createDispatcher } from '../../src/main/core/api/dispatch';
import type { Logger } from '../../src/main/core/logger';
import { startRealApp, type RealApp } from '../helpers/real-app';

let app: RealApp;
beforeAll(async () => {
  app = await startRealApp();
});
afterAll(async () => {
  await app?.close();
});

function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: () => logger,
  };
  return logger;
}

function apiWith(overrides: Partial<TroveApi>): TroveApi {
  return { ...app.api, ...overrides };
}

describe('dispatcher', () => {
  it('runs a valid command and returns its value', async () => {
    const dispatcher = createDispatcher(app.api, recordingLogger([]));
    await expect(dispatcher.dispatch('listConnectors', {})).resolves.toEqual({ ok: true, value: { items: [] } });
    // A missing body counts as {}.
    await expect(dispatcher.dispatch('jobCounts', undefined)).resolves.toMatchObject({ ok: true });
  });

  it('rejects unknown commands and malformed input as VALIDATION, with the field path', async () => {
    const dispatcher = createDispatcher(app.api, recordingLogger([]));
    await expect(dispatcher.dispatch('dropAllTables', {})).resolves.toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Unknown command "dropAllTables".' },
    });
    await expect(dispatcher.dispatch('__proto__', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    const bad = await dispatcher.dispatch('addLocalFolder', { path: 42 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatchObject({ code: 'VALIDATION' });
    expect(!bad.ok && bad.error.message).toMatch(/Invalid input for "addLocalFolder": path: /);
  });

  it('passes validated input with defaults to the handler', async () => {
    let seen: unknown;
    const dispatcher = createDispatcher(
      apiWith({ syncConnector: async (input) => ((seen = input), { jobId: 'j1' }) }),
      recordingLogger([]),
    );
    await dispatcher.dispatch('syncConnector', { connectorId: 'c1' });
    expect(seen).toEqual({ connectorId: 'c1', mode: 'incremental' });
  });

  it('maps a thrown AppError to its code and message', async () => {
    const dispatcher = createDispatcher(
      apiWith({
        pauseConnector: async () => Promise.reject(new AppError('NOT_FOUND', 'That connector no longer exists.')),
      }),
      recordingLogger([]),
    );
    await expect(dispatcher.dispatch('pauseConnector', { connectorId: 'x' })).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'That connector no longer exists.' },
    });
  });

  it('turns any other throw into a generic INTERNAL error and keeps its message out of the log', async () => {
    const lines: string[] = [];
    const dispatcher = createDispatcher(
      apiWith({ addNotion: async () => Promise.reject(new Error('token ntn_SECRET rejected')) }),
      recordingLogger(lines),
    );
    const result = await dispatcher.dispatch('addNotion', { name: 'N', token: 'ntn_SECRET123' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('SECRET');
    expect(lines.join('\n')).not.toContain('SECRET');
    expect(lines.some((l) => l.includes('addNotion'))).toBe(true);
  });

  it('refuses an output that breaks its schema when validation is on', async () => {
    const broken = apiWith({
      jobCounts: async () => ({ queued: -1, running: 0, succeeded: 0, failed: 0, cancelled: 0 }),
    });
    const checked = createDispatcher(broken, recordingLogger([]), { validateOutput: true });
    await expect(checked.dispatch('jobCounts', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const unchecked = createDispatcher(broken, recordingLogger([]), { validateOutput: false });
    await expect(unchecked.dispatch('jobCounts', {})).resolves.toMatchObject({ ok: true });
  });

  it('answers shell-only commands only when the shell provides them', async () => {
    const browser = createDispatcher(app.api, recordingLogger([]));
    await expect(browser.dispatch('pickPaths', { kind: 'folder' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    const shell: ShellApi = {
      pickPaths: async () => ({ paths: ['/home/me/Notes'] }),
      openExternal: async () => ({ opened: true }),
      openPath: async () => ({ opened: true }),
      hideQuickSearch: async () => ({ hidden: true }),
      quickSearchShortcutStatus: async () => ({ shortcut: null, registered: false }),
      revealPath: async () => ({ revealed: true }),
    };
    const desktop = createDispatcher(app.api, recordingLogger([]), { shell });
    await expect(desktop.dispatch('pickPaths', { kind: 'folder' })).resolves.toEqual({
      ok: true,
      value: { paths: ['/home/me/Notes'] },
    });
    await expect(desktop.dispatch('openExternal', { url: 'file:///etc/passwd' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});
