import { AppError } from '../../../shared/errors';
import type { SecretStore } from './secret-store';

/** Keychain service name under which every Trove secret is filed. */
export const KEYCHAIN_SERVICE = 'trove';

type Keytar = typeof import('keytar');

/**
 * SecretStore over the OS keychain (macOS Keychain, Windows Credential
 * Manager, libsecret on Linux). keytar is loaded lazily so that commands
 * which never touch a secret work on machines without a Secret Service.
 */
export class KeytarSecretStore implements SecretStore {
  private keytar?: Promise<Keytar>;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  private load(): Promise<Keytar> {
    this.keytar ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar);
    return this.keytar;
  }

  private async call<T>(what: string, fn: (k: Keytar) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.load());
    } catch (error) {
      // keytar's messages never contain the secret, but keep ours generic anyway.
      throw new AppError(
        'UNAVAILABLE',
        `The system keychain could not ${what}. On Linux, make sure a Secret Service (such as gnome-keyring) is running and unlocked.`,
        { cause: error },
      );
    }
  }

  get(account: string): Promise<string | null> {
    return this.call('read a secret', (k) => k.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.call('store a secret', (k) => k.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.call('delete a secret', (k) => k.deletePassword(this.service, account));
  }

  async list(): Promise<string[]> {
    const creds = await this.call('list secrets', (k) => k.findCredentials(this.service));
    return creds.map((c) => c.account);
  }
}
