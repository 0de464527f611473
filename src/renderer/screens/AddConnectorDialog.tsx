import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES } from '../../shared/contract/connectors';
import { useAction, useApi, useCommand } from '../api/hooks';
import { ErrorBanner, Modal, Segmented } from '../ui/components';
import { FolderField } from '../ui/folder-field';
import { GlobFields, useFolderFilters } from '../ui/glob-fields';
import { GoogleClientForm } from './GoogleClientSection';

type Kind = 'local_folder' | 'google_drive' | 'notion';

export function AddConnectorDialog(props: { onClose: () => void; onAdded: (name: string) => void }) {
  const [kind, setKind] = useState<Kind>('local_folder');
  return (
    <Modal title="Add a source" onClose={props.onClose} testId="add-connector-dialog" wide>
      <Segmented
        label="Source kind"
        role="tab"
        options={[
          ['local_folder', 'Local folder'],
          ['google_drive', 'Google Drive'],
          ['notion', 'Notion'],
        ]}
        value={kind}
        onChange={setKind}
        testIdPrefix="kind-"
      />
      {/* A fixed height: switching tabs does not make the dialog jump. */}
      <div className="add-source-body">
        {kind === 'local_folder' && <LocalFolderForm onAdded={props.onAdded} />}
        {kind === 'google_drive' && <GoogleDriveForm onAdded={props.onAdded} />}
        {kind === 'notion' && <NotionForm onAdded={props.onAdded} />}
      </div>
    </Modal>
  );
}

function LocalFolderForm(props: { onAdded: (name: string) => void }) {
  const api = useApi();
  const action = useAction();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const filters = useFolderFilters();
  const [maxMb, setMaxMb] = useState(String(DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES / 1024 / 1024));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await action.run('addLocalFolder', {
      path: path.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...filters.values(),
      ...(Number(maxMb) > 0 ? { maxFileSizeBytes: Math.round(Number(maxMb) * 1024 * 1024) } : {}),
    });
    if (result) props.onAdded(result.connector.name);
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <FolderField
        value={path}
        onChange={setPath}
        pickTitle="Choose a folder to index"
        testId="folder-path"
        placeholder="~/Documents or /home/you/Documents"
        autoFocus
        hint={
          api.shape === 'browser' ? 'A full path on the machine running Trove; ~ means your home folder.' : undefined
        }
      />
      <label className="field">
        <span>Name (optional)</span>
        <input
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="The folder's name"
          data-testid="folder-name"
        />
      </label>
      <GlobFields {...filters.fields} />
      <label className="field narrow">
        <span>Skip files larger than (MB)</span>
        <input className="input" type="number" min="1" value={maxMb} onChange={(e) => setMaxMb(e.target.value)} />
      </label>
      <ErrorBanner error={action.error} />
      <div className="modal-footer">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || !path.trim()}
          data-testid="add-folder-submit"
        >
          {action.busy ? 'Adding…' : 'Add folder and sync'}
        </button>
      </div>
    </form>
  );
}

function GoogleDriveForm(props: { onAdded: (name: string) => void }) {
  const api = useApi();
  const action = useAction();
  const settings = useCommand('getSettings', {});
  const [session, setSession] = useState<{ id: string; url: string } | null>(null);
  const [state, setState] = useState<string>('');
  const client = settings.data?.googleClient;

  const start = async () => {
    const result = await action.run('addGoogleDrive', {});
    if (!result) return;
    setSession({ id: result.authSessionId, url: result.authUrl });
    if (api.shape === 'desktop') await api.call('openExternal', { url: result.authUrl });
    else window.open(result.authUrl, '_blank', 'noopener,noreferrer');
  };

  useEffect(() => {
    if (!session) return;
    const timer = setInterval(async () => {
      const status = await api.call('getGoogleDriveAuthStatus', { authSessionId: session.id });
      if (!status.ok) return setState(status.error.message);
      setState(status.value.state);
      if (status.value.state === 'connected' && status.value.connector) {
        clearInterval(timer);
        props.onAdded(status.value.connector.name);
      } else if (status.value.state !== 'pending') {
        clearInterval(timer);
        setState(status.value.error ?? `Sign-in ${status.value.state}. Try again.`);
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [api, session, props]);

  if (client && !client.clientId) {
    // Not a dead end: the client can be entered right here (it is also under Settings › Google Drive).
    return (
      <div className="form" data-testid="drive-needs-client">
        <p>
          First, tell Trove which Google OAuth client to sign in with: a <strong>Desktop app</strong> client from the
          Google Cloud console, with the Drive API enabled. You do this once.
        </p>
        <GoogleClientForm googleClient={client} onSaved={() => settings.reload()} submitLabel="Save and continue" />
      </div>
    );
  }
  return (
    <div className="form">
      <p>
        Trove opens Google's sign-in page in your browser. After you allow read-only access, come back here: the first
        sync starts by itself.
      </p>
      <ErrorBanner error={action.error} />
      {session ? (
        <div className="banner banner-info" data-testid="drive-waiting">
          Waiting for you to finish signing in… {state && state !== 'pending' ? state : ''}
          <br />
          <a href={session.url} target="_blank" rel="noreferrer noopener">
            Open the sign-in page again
          </a>
        </div>
      ) : (
        <div className="modal-footer">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void start()}
            disabled={action.busy}
            data-testid="drive-connect"
          >
            Sign in with Google
          </button>
        </div>
      )}
    </div>
  );
}

function NotionForm(props: { onAdded: (name: string) => void }) {
  const action = useAction();
  const [name, setName] = useState('Notion');
  const [token, setToken] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await action.run('addNotion', { name: name.trim(), token: token.trim() });
    if (result) props.onAdded(result.connector.name);
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <p className="muted">
        Create an internal integration at notion.so/my-integrations, share the pages you want indexed with it, and paste
        its secret here. Trove keeps it in your system keychain.
      </p>
      <label className="field">
        <span>Name</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        <span>Integration secret</span>
        <input
          className="input"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="ntn_…"
          required
          data-testid="notion-token"
        />
      </label>
      <ErrorBanner error={action.error} />
      <div className="modal-footer">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || !token.trim()}
          data-testid="notion-submit"
        >
          Connect Notion
        </button>
      </div>
    </form>
  );
}
