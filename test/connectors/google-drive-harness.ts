/** The Google Drive connector's test harness: fake OAuth and Drive servers, a seeded tree, one sync run. */
import { afterEach, beforeEach } from 'vitest';
import type { Clock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import type { Connector, ConnectorContext, ConnectorStatus } from '../../src/main/core/connectors/types';
import { createGoogleDriveConnectorFactory, saveGoogleTokens } from '../../src/main/core/connectors/google-drive';
import { FakeDriveServer, fakeDriveSettings } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';

export const DOC = 'application/vnd.google-apps.document';
export const SHEET = 'application/vnd.google-apps.spreadsheet';

/** Real timers, but every wait is recorded and shortened to 1 ms so storms run fast. */
function fastClock(waits: number[]): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      waits.push(ms);
      return setTimeout(fn, 1);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

export interface Harness {
  oauth: FakeGoogleOAuthServer;
  drive: FakeDriveServer;
  secrets: MemorySecretStore;
  statuses: { status: ConnectorStatus; error?: string }[];
  waits: number[];
  /** What a Drive connector gets from the core, pointed at the fake servers. */
  context(settings?: Record<string, unknown>, fetchImpl?: typeof fetch): ConnectorContext;
  connector(settings?: Record<string, unknown>, fetchImpl?: typeof fetch): Connector;
}

/**
 * A fresh harness for each test of the calling describe block (its servers
 * stopped after each); the returned object is refilled before every test.
 */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeEach(async () => {
    Object.assign(h, await startHarness());
  });
  afterEach(async () => {
    await h.drive.stop();
    await h.oauth.stop();
  });
  return h;
}

export async function startHarness(): Promise<Harness> {
  const oauth = await new FakeGoogleOAuthServer().start();
  const drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
  const secrets = new MemorySecretStore();
  const { accessToken, refreshToken } = oauth.issueTokens();
  await saveGoogleTokens(secrets, 'drive-1', {
    accessToken,
    refreshToken,
    expiryDate: Date.now() + 3_600_000,
    clientSecret: oauth.clientSecret,
  });
  const statuses: Harness['statuses'] = [];
  const waits: number[] = [];
  const factory = createGoogleDriveConnectorFactory({ retry: { baseDelayMs: 200, maxRetries: 8 } });
  const context = (settings: Record<string, unknown> = {}, fetchImpl = globalThis.fetch): ConnectorContext => ({
    config: {
      id: 'drive-1',
      type: 'google_drive',
      name: 'Drive',
      settings: {
        ...fakeDriveSettings(oauth, drive),
        ...settings,
      },
      status: 'active',
      syncCursor: null,
      lastSyncAt: null,
    },
    secrets,
    fetch: fetchImpl,
    logger: silentLogger,
    clock: fastClock(waits),
    setStatus: (status, error) => statuses.push({ status, error }),
  });
  return {
    oauth,
    drive,
    secrets,
    statuses,
    waits,
    context,
    connector: (settings, fetchImpl) => factory(context(settings, fetchImpl)),
  };
}

/** A tree of `count` files: docs, sheets, PDFs and text files spread over nested folders. */
export function seedTree(drive: FakeDriveServer, count: number): void {
  drive.addFolder('Projects', ['root'], 'folder-projects');
  drive.addFolder('Archive', ['folder-projects'], 'folder-archive');
  drive.addFolder('Elsewhere', ['root'], 'folder-elsewhere');
  const parents = ['root', 'folder-projects', 'folder-archive', 'folder-elsewhere'];
  for (let i = 0; i < count; i++) {
    const parent = parents[i % parents.length]!;
    const id = `file-${String(i).padStart(4, '0')}`;
    if (i % 3 === 0)
      drive.addFile({ id, name: `Doc ${i}`, mimeType: DOC, parents: [parent], content: `# Doc ${i}\n\nBody ${i}` });
    else if (i % 3 === 1)
      drive.addFile({ id, name: `notes-${i}.txt`, mimeType: 'text/plain', parents: [parent], content: `note ${i}` });
    else drive.addFile({ id, name: `Sheet ${i}`, mimeType: SHEET, parents: [parent], content: `a,b\n${i},${i * 2}` });
  }
}
