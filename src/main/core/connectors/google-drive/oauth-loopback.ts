import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { AppError } from '../../../../shared/errors';
import { DEFAULT_GOOGLE_AUTH_URL, DEFAULT_GOOGLE_TOKEN_URL, DRIVE_READONLY_SCOPE } from './settings';
import type { GoogleTokens } from './tokens';

export interface AuthorizeGoogleDriveOptions {
  /** OAuth client id of a "Desktop app" client. */
  clientId: string;
  /** The desktop client's (non-confidential) secret, when it has one. */
  clientSecret?: string;
  /** Token endpoint. Default https://oauth2.googleapis.com/token. */
  tokenUrl?: string;
  /** Consent page. Default https://accounts.google.com/o/oauth2/v2/auth. */
  authUrl?: string;
  /** Opens the consent URL in the system browser (or prints it). */
  openBrowser: (url: string) => void | Promise<void>;
  signal?: AbortSignal;
  /** How long to wait for the person to finish consent. Default 5 minutes. */
  timeoutMs?: number;
  /** HTTP implementation for the code exchange. Default global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * OAuth 2.0 for installed apps (RFC 8252): a one-shot loopback server on
 * 127.0.0.1 with a random port receives the redirect; PKCE (S256) binds the
 * code to this process and `state` rejects forged redirects. Resolves with
 * tokens ready for `saveGoogleTokens`.
 */
export async function authorizeGoogleDrive(options: AuthorizeGoogleDriveOptions): Promise<GoogleTokens> {
  const server = createServer();
  await listenOnLoopback(server);
  try {
    const port = (server.address() as AddressInfo).port;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const client = new OAuth2Client({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri,
      endpoints: {
        oauth2AuthBaseUrl: options.authUrl ?? DEFAULT_GOOGLE_AUTH_URL,
        oauth2TokenUrl: options.tokenUrl ?? DEFAULT_GOOGLE_TOKEN_URL,
      },
      transporterOptions: options.fetch ? { fetchImplementation: options.fetch } : undefined,
    });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const state = randomBytes(24).toString('base64url');
    const consentUrl = client.generateAuthUrl({
      access_type: 'offline',
      // Always ask, so Google returns a refresh token even on a reconnect.
      prompt: 'consent',
      scope: [DRIVE_READONLY_SCOPE],
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge,
    });
    const code = waitForCode(server, state, options.signal, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await options.openBrowser(consentUrl);
    const authorizationCode = await code;
    let tokens;
    try {
      ({ tokens } = await client.getToken({ code: authorizationCode, codeVerifier }));
    } catch (error) {
      throw new AppError('CONNECTOR_AUTH', 'Google did not accept the sign-in. Try connecting Google Drive again.', {
        cause: error,
      });
    }
    if (!tokens.refresh_token) {
      throw new AppError(
        'CONNECTOR_AUTH',
        'Google did not grant offline access. Remove Trove from your Google account permissions and connect again.',
      );
    }
    return {
      accessToken: tokens.access_token ?? null,
      refreshToken: tokens.refresh_token,
      expiryDate: tokens.expiry_date ?? null,
      scope: tokens.scope,
      clientSecret: options.clientSecret,
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

function listenOnLoopback(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Resolves with the authorization code from the first valid redirect. */
function waitForCode(
  server: Server,
  state: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new AppError('TIMEOUT', 'Google sign-in was not completed in time. Try connecting Google Drive again.'));
    }, timeoutMs);
    timer.unref();
    const onAbort = (): void => {
      finish();
      reject(new AppError('CANCELLED', 'Google sign-in was cancelled.', { cause: signal?.reason }));
    };
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      server.off('request', onRequest);
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') {
        reply(res, 404, 'Not found.');
        return;
      }
      // A redirect without our state is not ours (or is forged): ignore it and keep waiting.
      if (url.searchParams.get('state') !== state) {
        reply(res, 400, 'This sign-in link does not belong to the current attempt. Start again from Trove.');
        return;
      }
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      finish();
      if (error !== null || code === null) {
        reply(res, 400, 'Google Drive was not connected. You can close this tab.');
        const denied = error === 'access_denied';
        reject(
          new AppError(
            'CONNECTOR_AUTH',
            denied
              ? 'Access to Google Drive was declined. Connect again and allow read access.'
              : 'Google sign-in failed. Try connecting Google Drive again.',
            { details: { error } },
          ),
        );
        return;
      }
      reply(res, 200, 'Google Drive is connected to Trove. You can close this tab.');
      resolve(code);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    server.on('request', onRequest);
  });
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
  res.end(`<!doctype html><meta charset="utf-8"><title>Trove</title><p>${message}</p>`);
}
