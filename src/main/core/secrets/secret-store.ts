/**
 * Where secrets live: OAuth tokens, Notion tokens, the Gemini API key, relay
 * poll secrets. The production implementation is the OS keychain (keytar);
 * nothing else may persist a secret.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Account names only, never the secrets. */
  list(): Promise<string[]>;
}

/** Keychain account names, in one place so nobody invents a second scheme. */
export const secretAccounts = {
  connectorToken: (connectorId: string) => `connector:${connectorId}:token`,
  relayPollSecret: (connectorId: string) => `relay:${connectorId}:poll-secret`,
  geminiApiKey: () => 'embeddings:gemini:api-key',
  /** The Google OAuth desktop client's secret (Settings › Google Drive). */
  googleClientSecret: () => 'google:oauth-client-secret',
};

/** In-memory store for tests and benchmarks that do not exercise the keychain. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.values.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.values.set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    return this.values.delete(account);
  }
  async list(): Promise<string[]> {
    return [...this.values.keys()];
  }
}
