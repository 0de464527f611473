import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { systemClock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore, secretAccounts } from '../../src/main/core/secrets/secret-store';
import {
  authorizeGoogleDrive,
  googleDriveConnectorFactory,
  saveGoogleTokens,
} from '../../src/main/core/connectors/google-drive';
import { FakeDriveServer } from '../fakes/google-drive-server';
import { FakeGoogleOAuthServer } from '../fakes/google-oauth-server';

/** Plays the browser: loads the consent page, which redirects to the loopback; follows it. */
async function browser(
  url: string,
  log: { consentUrl?: URL; callbackStatus?: number; callbackBody?: string },
): Promise<void> {
  log.consentUrl = new URL(url);
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`consent page answered ${consent.status}`);
  const callback = await fetch(location);
  log.callbackStatus = callback.status;
  log.callbackBody = await callback.text();
}

describe('Google Drive OAuth loopback flow', () => {
  let oauth: FakeGoogleOAuthServer;
  let drive: FakeDriveServer;
  beforeEach(async () => {
    oauth = await new FakeGoogleOAuthServer().start();
    drive = await new FakeDriveServer((token) => oauth.isValidAccessToken(token)).start();
  });
  afterEach(async () => {
    await drive.stop();
    await oauth.stop();
  });

  it('gets tokens through consent, loopback redirect and a PKCE code exchange, then syncs with them', async () => {
    const log: Parameters<typeof browser>[1] = {};
    const tokens = await authorizeGoogleDrive({
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      authUrl: oauth.authUrl,
      tokenUrl: oauth.tokenUrl,
      openBrowser: (url) => {
        // Like a real browser, the page loads after openBrowser returns.
        setTimeout(() => void browser(url, log), 5);
      },
      timeoutMs: 10_000,
    });

    const params = log.consentUrl!.searchParams;
    expect(params.get('scope')).toBe('https://www.googleapis.com/auth/drive.readonly');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('access_type')).toBe('offline');
    expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(params.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(log.callbackStatus).toBe(200);
    expect(log.callbackBody).toContain('You can close this tab');
    expect(oauth.codeGrants).toBe(1);
    expect(oauth.isValidAccessToken(tokens.accessToken!)).toBe(true);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.expiryDate).toBeGreaterThan(Date.now());

    const secrets = new MemorySecretStore();
    await saveGoogleTokens(secrets, 'drive-9', tokens);
    expect(await secrets.list()).toEqual([secretAccounts.connectorToken('drive-9')]);
    drive.addFile({ id: 'x', name: 'x.txt', mimeType: 'text/plain', content: 'hello' });
    const connector = googleDriveConnectorFactory({
      config: {
        id: 'drive-9',
        type: 'google_drive',
        name: 'Drive',
        settings: { clientId: oauth.clientId, apiBaseUrl: drive.url, tokenUrl: oauth.tokenUrl },
        status: 'active',
        syncCursor: null,
        lastSyncAt: null,
      },
      secrets,
      fetch: globalThis.fetch,
      logger: silentLogger,
      clock: systemClock,
    });
    await expect(connector.testConnection()).resolves.toBeUndefined();
  });

  it('ignores a redirect with a foreign state and keeps waiting for the real one', async () => {
    const log: Parameters<typeof browser>[1] = {};
    let forgedStatus = 0;
    const tokens = await authorizeGoogleDrive({
      clientId: oauth.clientId,
      authUrl: oauth.authUrl,
      tokenUrl: oauth.tokenUrl,
      openBrowser: async (url) => {
        const redirect = new URL(url).searchParams.get('redirect_uri')!;
        forgedStatus = (await fetch(`${redirect}?code=stolen&state=attacker`)).status;
        setTimeout(() => void browser(url, log), 5);
      },
      timeoutMs: 10_000,
    });
    expect(forgedStatus).toBe(400);
    expect(tokens.refreshToken).toBeTruthy();
    expect(oauth.codeGrants).toBe(1);
  });

  it('reports a declined consent as CONNECTOR_AUTH', async () => {
    oauth.denyWith = 'access_denied';
    const log: Parameters<typeof browser>[1] = {};
    const error = await authorizeGoogleDrive({
      clientId: oauth.clientId,
      authUrl: oauth.authUrl,
      tokenUrl: oauth.tokenUrl,
      openBrowser: (url) => void setTimeout(() => void browser(url, log), 5),
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(AppError.is(error, 'CONNECTOR_AUTH')).toBe(true);
    expect((error as AppError).message).toMatch(/declined/);
  });

  it('can be cancelled while waiting for the person', async () => {
    const controller = new AbortController();
    const pending = authorizeGoogleDrive({
      clientId: oauth.clientId,
      authUrl: oauth.authUrl,
      tokenUrl: oauth.tokenUrl,
      openBrowser: () => {
        setTimeout(() => controller.abort(), 5);
      },
      signal: controller.signal,
    });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
