import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { secretAccounts, type SecretStore } from '../../secrets/secret-store';

/** What the keychain holds for one Google Drive connector (JSON under `connector:<id>:token`). */
export const googleTokensSchema = z.object({
  accessToken: z.string().nullable(),
  refreshToken: z.string().min(1),
  /** Epoch ms when the access token expires; null when unknown. */
  expiryDate: z.number().nullable(),
  scope: z.string().optional(),
  /**
   * Google issues "Desktop app" clients a secret that is not confidential
   * (it ships inside every installed copy), yet the token endpoint wants it
   * back on refresh. It lives here, in the keychain, not in the settings row.
   */
  clientSecret: z.string().optional(),
});
export type GoogleTokens = z.infer<typeof googleTokensSchema>;

/** Stores tokens in the keychain under `secretAccounts.connectorToken(connectorId)`. */
export async function saveGoogleTokens(secrets: SecretStore, connectorId: string, tokens: GoogleTokens): Promise<void> {
  await secrets.set(secretAccounts.connectorToken(connectorId), JSON.stringify(googleTokensSchema.parse(tokens)));
}

/** Reads tokens back; throws CONNECTOR_AUTH when none are stored or they are unreadable. */
export async function loadGoogleTokens(secrets: SecretStore, connectorId: string): Promise<GoogleTokens> {
  const raw = await secrets.get(secretAccounts.connectorToken(connectorId));
  if (raw === null) {
    throw new AppError('CONNECTOR_AUTH', 'Google Drive is not connected yet. Connect Google Drive in Connectors.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new AppError(
      'CONNECTOR_AUTH',
      'The saved Google Drive sign-in is unreadable. Reconnect Google Drive in Connectors.',
      {
        cause: error,
      },
    );
  }
  const result = googleTokensSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError(
      'CONNECTOR_AUTH',
      'The saved Google Drive sign-in is incomplete. Reconnect Google Drive in Connectors.',
    );
  }
  return result.data;
}
