import { AppError, toAppError } from '../../../shared/errors';
import type { Core } from '../app';
import { newId } from '../ids';
import { secretAccounts } from '../secrets/secret-store';
import type { StoredConnector } from '../store/connectors.repo';
import { connectGoogleDrive, GOOGLE_CLIENT_ID_SETTING } from '../services/google-drive-onboarding';

export { GOOGLE_CLIENT_ID_SETTING };

interface Session {
  state: 'pending' | 'connected' | 'failed' | 'expired';
  connector: StoredConnector | null;
  error: string | null;
  abort: AbortController;
}

/**
 * The Google Drive OAuth hand-off for the UI: `start` opens a loopback
 * listener and returns the consent URL (the shell opens it in the system
 * browser); the UI polls `status` until the person has consented, at which
 * point the tokens are in the keychain and the connector exists.
 */
export class GoogleAuthSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly core: Core) {}

  async start(name: string): Promise<{ authSessionId: string; authUrl: string }> {
    const clientId =
      this.core.repos.settings.get<string | null>(GOOGLE_CLIENT_ID_SETTING, null) ?? process.env.TROVE_GOOGLE_CLIENT_ID;
    if (!clientId) {
      throw new AppError(
        'VALIDATION',
        'Google Drive needs an OAuth client first: enter its client id (and secret) in Settings › Google Drive.',
        { details: { missing: 'googleClient' } },
      );
    }
    const clientSecret =
      (await this.core.secrets.get(secretAccounts.googleClientSecret()).catch(() => null)) ??
      process.env.TROVE_GOOGLE_CLIENT_SECRET;
    const id = newId();
    const session: Session = { state: 'pending', connector: null, error: null, abort: new AbortController() };
    this.sessions.set(id, session);
    let resolveUrl!: (url: string) => void;
    const urlReady = new Promise<string>((resolve) => (resolveUrl = resolve));
    const flow = connectGoogleDrive(this.core, {
      clientId,
      clientSecret: clientSecret ?? undefined,
      name,
      authUrl: process.env.TROVE_GOOGLE_AUTH_URL,
      tokenUrl: process.env.TROVE_GOOGLE_TOKEN_URL,
      // Alternative API roots only where configured (a proxy, or a test's fake servers).
      apiBaseUrl: process.env.TROVE_GOOGLE_DRIVE_API_URL,
      openBrowser: (url) => resolveUrl(url),
      signal: session.abort.signal,
    })
      .then((connector) => {
        session.state = 'connected';
        session.connector = connector;
      })
      .catch((error: unknown) => {
        const err = toAppError(error);
        session.state = err.code === 'TIMEOUT' ? 'expired' : 'failed';
        session.error = err.message;
      });
    const authUrl = await Promise.race([urlReady, flow.then(() => null)]);
    if (!authUrl) throw new AppError('UNAVAILABLE', session.error ?? 'Google sign-in could not start.');
    return { authSessionId: id, authUrl };
  }

  status(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new AppError('NOT_FOUND', 'That Google sign-in is no longer in progress; start again.');
    return session;
  }

  close(): void {
    for (const s of this.sessions.values()) s.abort.abort();
  }
}
