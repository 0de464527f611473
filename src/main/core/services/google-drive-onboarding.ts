import { authorizeGoogleDrive, saveGoogleTokens } from '../connectors/google-drive';
import { newId } from '../ids';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { StoredConnector } from '../store/connectors.repo';
import type { ConnectorService } from './connector.service';

export { GOOGLE_CLIENT_ID_SETTING } from './google-client-setting';

export interface ConnectDriveOptions {
  clientId: string;
  clientSecret?: string;
  name: string;
  includeSharedDrives?: boolean;
  /** Only these folders (default: the whole Drive). */
  folderIds?: string[];
  /** Alternative endpoints (a proxy, or a test's fake servers). */
  authUrl?: string;
  tokenUrl?: string;
  apiBaseUrl?: string;
  /** Shows the consent URL: printed by the CLI, opened by the shell. */
  openBrowser(url: string): void;
  signal?: AbortSignal;
}

/**
 * Connecting Google Drive, for the CLI and the UI alike: the OAuth consent
 * through a loopback listener, the tokens into the keychain, then the
 * connector (which queues its first sync). Tokens of a connector that could
 * not be added are removed again.
 */
export async function connectGoogleDrive(
  deps: { secrets: SecretStore; connectors: ConnectorService },
  options: ConnectDriveOptions,
): Promise<StoredConnector> {
  const tokens = await authorizeGoogleDrive({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authUrl: options.authUrl,
    tokenUrl: options.tokenUrl,
    openBrowser: options.openBrowser,
    signal: options.signal,
  });
  const id = newId();
  await saveGoogleTokens(deps.secrets, id, tokens);
  const settings: Record<string, unknown> = {
    clientId: options.clientId,
    includeSharedDrives: options.includeSharedDrives ?? false,
    ...(options.folderIds?.length ? { folderIds: options.folderIds } : {}),
    ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
    // Refreshes must go to the endpoint that issued the tokens.
    ...(options.tokenUrl ? { tokenUrl: options.tokenUrl } : {}),
  };
  try {
    const { connector } = await deps.connectors.add({ id, type: 'google_drive', name: options.name, settings });
    return connector;
  } catch (error) {
    await deps.secrets.delete(secretAccounts.connectorToken(id)).catch(() => false);
    throw error;
  }
}
