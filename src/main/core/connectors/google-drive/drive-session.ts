import { OAuth2Client } from 'google-auth-library';
import { AppError } from '../../../../shared/errors';
import type { Logger } from '../../logger';
import type { SecretStore } from '../../secrets/secret-store';
import type { ConnectorStatus } from '../types';
import type { GoogleDriveSettings } from './settings';
import { loadGoogleTokens, saveGoogleTokens, type GoogleTokens } from './tokens';

export const REVOKED_MESSAGE = 'Google Drive access was revoked. Reconnect Google Drive in Connectors.';

export interface DriveSessionOptions {
  connectorId: string;
  settings: GoogleDriveSettings;
  secrets: SecretStore;
  fetch: typeof fetch;
  logger: Logger;
  setStatus?: (status: ConnectorStatus, error?: string) => void;
}

/**
 * Hands out Drive access tokens: loads them from the keychain once, lets
 * google-auth-library refresh them when they expire, writes refreshed tokens
 * back, and turns a revoked grant into `disconnected` plus a clear error.
 */
export class DriveSession {
  private client: OAuth2Client | undefined;
  private stored: GoogleTokens | undefined;

  constructor(private readonly options: DriveSessionOptions) {}

  /** A valid access token, refreshed first when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    const client = await this.oauthClient();
    const { token } = await this.guard(() => client.getAccessToken());
    if (!token) throw this.revoked();
    await this.persist(client);
    return token;
  }

  /** Forces a refresh, for an access token the API rejected with 401 before its expiry. */
  async refresh(): Promise<string> {
    const client = await this.oauthClient();
    const { credentials } = await this.guard(() => client.refreshAccessToken());
    if (!credentials.access_token) throw this.revoked();
    await this.persist(client);
    return credentials.access_token;
  }

  /** Marks the connector disconnected and returns the error to throw. */
  revoked(cause?: unknown): AppError {
    this.options.setStatus?.('disconnected', REVOKED_MESSAGE);
    return new AppError('CONNECTOR_AUTH', REVOKED_MESSAGE, { cause });
  }

  private async oauthClient(): Promise<OAuth2Client> {
    if (this.client) return this.client;
    const tokens = await loadGoogleTokens(this.options.secrets, this.options.connectorId);
    const client = new OAuth2Client({
      clientId: this.options.settings.clientId,
      clientSecret: tokens.clientSecret,
      endpoints: {
        oauth2TokenUrl: this.options.settings.tokenUrl,
        oauth2AuthBaseUrl: this.options.settings.oauthBaseUrl,
      },
      transporterOptions: { fetchImplementation: this.options.fetch },
    });
    client.setCredentials({
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expiry_date: tokens.expiryDate,
      scope: tokens.scope,
    });
    this.client = client;
    this.stored = tokens;
    return client;
  }

  private async guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (isInvalidGrant(error)) throw this.revoked(error);
      throw new AppError('UNAVAILABLE', 'Could not refresh the Google Drive sign-in. Trove will try again later.', {
        cause: error,
      });
    }
  }

  private async persist(client: OAuth2Client): Promise<void> {
    const current = this.stored;
    const credentials = client.credentials;
    if (!current || !credentials.access_token || credentials.access_token === current.accessToken) return;
    const next: GoogleTokens = {
      ...current,
      accessToken: credentials.access_token,
      refreshToken: credentials.refresh_token ?? current.refreshToken,
      expiryDate: credentials.expiry_date ?? null,
    };
    this.stored = next;
    await saveGoogleTokens(this.options.secrets, this.options.connectorId, next);
    this.options.logger.debug('google drive access token refreshed');
  }
}

/** The token endpoint answers `{"error":"invalid_grant"}` for a revoked or expired refresh token. */
function isInvalidGrant(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const response = (error as { response?: { data?: unknown } }).response;
  const data = response?.data;
  if (typeof data === 'object' && data !== null && (data as { error?: unknown }).error === 'invalid_grant') return true;
  return (error as { message?: unknown }).message === 'invalid_grant';
}
