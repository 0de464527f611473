import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../shared/contract';
import { useAction } from '../api/hooks';
import { ErrorBanner } from '../ui/components';

/**
 * The Google OAuth client Trove signs in to Drive with: a "Desktop app"
 * client from Google Cloud. Its id is not secret; its secret (Google gives
 * desktop clients one) is kept in the system keychain and never shown again.
 */
export function GoogleClientForm(props: {
  googleClient: SettingsView['googleClient'];
  onSaved: () => void;
  submitLabel?: string;
}) {
  const action = useAction();
  const [clientId, setClientId] = useState(props.googleClient.clientId ?? '');
  const [secret, setSecret] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await action.run('setGoogleClient', {
      clientId: clientId.trim(),
      ...(secret.trim() ? { clientSecret: secret.trim() } : {}),
    });
    setSecret('');
    if (saved) props.onSaved();
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="google-client-form">
      <label className="field">
        <span>OAuth client id</span>
        <input
          className="input mono"
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          placeholder="1234567890-abc.apps.googleusercontent.com"
          autoComplete="off"
          spellCheck={false}
          data-testid="google-client-id"
        />
      </label>
      <label className="field">
        <span>Client secret</span>
        <input
          className="input mono"
          type="password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          placeholder={
            props.googleClient.secret.set
              ? `Saved in the keychain (${props.googleClient.secret.masked ?? '••••'}); type to replace`
              : 'GOCSPX-…'
          }
          autoComplete="off"
          data-testid="google-client-secret"
        />
        <small className="muted">Kept in your system keychain, never in Trove’s files.</small>
      </label>
      <ErrorBanner error={action.error} onDismiss={action.clearError} />
      <div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!clientId.trim() || action.busy}
          data-testid="google-client-save"
        >
          {props.submitLabel ?? 'Save'}
        </button>
      </div>
    </form>
  );
}

export function GoogleClientSection(props: { googleClient: SettingsView['googleClient']; onChanged: () => void }) {
  const { googleClient } = props;
  return (
    <section className="card" data-testid="google-client-section">
      <h2>Google Drive</h2>
      <p className="muted">
        To connect Drive, create an OAuth client of type <strong>Desktop app</strong> in the Google Cloud console (with
        the Drive API enabled and the <span className="mono">drive.readonly</span> scope on its consent screen), then
        enter its id and secret here. No redirect address needs registering.
      </p>
      <p className="small" data-testid="google-client-status">
        {googleClient.clientId
          ? `Client set${googleClient.secret.set ? ', secret in the keychain' : ', no secret'}. Add a Drive under Connectors › Add source.`
          : 'No client yet.'}
      </p>
      <GoogleClientForm googleClient={googleClient} onSaved={props.onChanged} />
    </section>
  );
}
