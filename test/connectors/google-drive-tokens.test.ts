import { describe, expect, it } from 'vitest';
import { KnownStore, runSync } from '../helpers/known-store';
import { AppError } from '../../src/shared/errors';
import { secretAccounts } from '../../src/main/core/secrets/secret-store';
import type { SyncStats } from '../../src/main/core/connectors/types';
import { FakeDriveServer } from '../fakes/google-drive-server';
import { useHarness, seedTree } from './google-drive-harness';

describe('Google Drive connector: tokens and lost access', () => {
  const h = useHarness();

  it('disconnects when Drive keeps rejecting a freshly refreshed token', async () => {
    const stubborn = await new FakeDriveServer(() => false).start();
    try {
      const error = await runSync(h.connector({ apiBaseUrl: stubborn.url }), new KnownStore(), 'full').catch(
        (e: unknown) => e,
      );
      expect(AppError.is(error, 'CONNECTOR_AUTH')).toBe(true);
      expect(h.oauth.refreshGrants).toBe(1); // refreshed once, not in a loop
      expect(stubborn.requests.map((r) => r.status)).toEqual([401, 401]);
      expect(h.statuses.map((s) => s.status)).toEqual(['disconnected']);
    } finally {
      await stubborn.stop();
    }
  });

  it('refreshes an access token that expires mid-sync and completes the sync', async () => {
    seedTree(h.drive, 250);
    const store = new KnownStore();
    const connector = h.connector();
    const stats: SyncStats = { apiCalls: 0, bytesTransferred: 0 };
    const generator = connector.sync({
      mode: 'full',
      cursor: null,
      signal: new AbortController().signal,
      known: store.known,
      progress: () => {},
      stats,
    });
    const seen: string[] = [];
    const firstBatch = await generator.next();
    if (!firstBatch.done) seen.push(...firstBatch.value.upserts.map((d) => d.externalId));
    h.oauth.expireAccessTokens(); // the hour is up
    for (let step = await generator.next(); !step.done; step = await generator.next()) {
      seen.push(...step.value.upserts.map((d) => d.externalId));
    }
    expect(new Set(seen).size).toBe(253);
    expect(h.oauth.refreshGrants).toBe(1);
    expect(h.statuses).toEqual([]);
    // The refreshed token was written back to the keychain.
    const saved = JSON.parse((await h.secrets.get(secretAccounts.connectorToken('drive-1')))!) as {
      accessToken: string;
    };
    expect(h.oauth.isValidAccessToken(saved.accessToken)).toBe(true);
  });

  it('marks the connector disconnected with a clear error when access was revoked', async () => {
    seedTree(h.drive, 5);
    h.oauth.revokeAll();
    const error = await runSync(h.connector(), new KnownStore(), 'full').catch((e: unknown) => e);
    expect(AppError.is(error, 'CONNECTOR_AUTH')).toBe(true);
    expect((error as AppError).message).toBe('Google Drive access was revoked. Reconnect Google Drive in Connectors.');
    expect(h.statuses).toEqual([
      { status: 'disconnected', error: 'Google Drive access was revoked. Reconnect Google Drive in Connectors.' },
    ]);
    expect(JSON.stringify(error)).not.toContain('refresh');
  });
});
