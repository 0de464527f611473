import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-server';

/**
 * A local stand-in for Google's OAuth 2.0 endpoints for installed apps:
 * - GET  /o/oauth2/v2/auth  consent page; "consents" at once by redirecting to
 *   the loopback redirect_uri with code + state (checks PKCE S256 params).
 * - POST /token             authorization_code (verifies code_verifier against
 *   the S256 challenge) and refresh_token grants; RFC 6749 error bodies.
 * - POST /revoke            revokes a refresh token (later refreshes -> invalid_grant).
 */
export class FakeGoogleOAuthServer extends LoopbackFake {
  readonly clientId = 'trove-test.apps.googleusercontent.com';
  readonly clientSecret = 'GOCSPX-test-secret';
  /** Access tokens lifetime reported to clients (seconds). */
  expiresInSeconds = 3599;
  refreshGrants = 0;
  codeGrants = 0;
  /** When set, the consent page answers with ?error=<value> instead of a code. */
  denyWith: string | undefined;

  private readonly codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Map<string, { revoked: boolean; scope: string }>();

  constructor() {
    super('oauth server');
  }

  get authUrl(): string {
    return `${this.url}/o/oauth2/v2/auth`;
  }
  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  /** Issues a token pair directly, as if a consent had happened earlier. */
  issueTokens(scope = 'https://www.googleapis.com/auth/drive.readonly'): { accessToken: string; refreshToken: string } {
    const accessToken = this.newAccessToken();
    const refreshToken = `1//refresh-${randomBytes(12).toString('hex')}`;
    this.refreshTokens.set(refreshToken, { revoked: false, scope });
    return { accessToken, refreshToken };
  }

  isValidAccessToken(token: string): boolean {
    return this.accessTokens.has(token);
  }

  /** Every access token issued so far stops working (as at its expiry). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** The person removed the app's access in their Google account. */
  revokeAll(): void {
    for (const entry of this.refreshTokens.values()) entry.revoked = true;
    this.accessTokens.clear();
  }

  private newAccessToken(): string {
    const token = `ya29.fake-${randomBytes(12).toString('hex')}`;
    this.accessTokens.add(token);
    return token;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return this.consent(url, res);
    if (req.method === 'POST' && url.pathname === '/token')
      return this.token(new URLSearchParams(await readBody(req)), res);
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const token = url.searchParams.get('token') ?? new URLSearchParams(await readBody(req)).get('token') ?? '';
      const entry = this.refreshTokens.get(token);
      if (entry) entry.revoked = true;
      return json(res, entry ? 200 : 400, entry ? {} : { error: 'invalid_token' });
    }
    json(res, 404, { error: 'not_found' });
  }

  private consent(url: URL, res: ServerResponse): void {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri') ?? '';
    const problems: string[] = [];
    if (p.get('client_id') !== this.clientId) problems.push('client_id');
    if (p.get('response_type') !== 'code') problems.push('response_type');
    if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) problems.push('pkce');
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(redirectUri)) problems.push('redirect_uri');
    if (problems.length > 0) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`invalid_request: ${problems.join(', ')}`);
      return;
    }
    const target = new URL(redirectUri);
    target.searchParams.set('state', p.get('state') ?? '');
    if (this.denyWith) {
      target.searchParams.set('error', this.denyWith);
    } else {
      const code = `4/code-${randomBytes(10).toString('hex')}`;
      this.codes.set(code, { challenge: p.get('code_challenge')!, redirectUri, scope: p.get('scope') ?? '' });
      target.searchParams.set('code', code);
    }
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    if (form.get('client_id') !== this.clientId)
      return json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code);
      if (!pending) return json(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== pending.challenge)
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      if (form.get('redirect_uri') !== pending.redirectUri) return json(res, 400, { error: 'redirect_uri_mismatch' });
      this.codeGrants++;
      const { accessToken, refreshToken } = this.issueTokens(pending.scope);
      return json(res, 200, {
        access_token: accessToken,
        refresh_token: refreshToken,
        expires_in: this.expiresInSeconds,
        scope: pending.scope,
        token_type: 'Bearer',
      });
    }
    if (grant === 'refresh_token') {
      const entry = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!entry || entry.revoked)
        return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      this.refreshGrants++;
      return json(res, 200, {
        access_token: this.newAccessToken(),
        expires_in: this.expiresInSeconds,
        scope: entry.scope,
        token_type: 'Bearer',
      });
    }
    json(res, 400, { error: 'unsupported_grant_type' });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
