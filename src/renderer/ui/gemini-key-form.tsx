import { useState, type FormEvent } from 'react';
import { useAction } from '../api/hooks';
import { ErrorBanner } from './components';

/** The Gemini API key: write-only (only its last four characters come back), kept in the system keychain. */
export function GeminiKeyForm(props: { masked: { set: boolean; masked: string | null }; onChanged: () => void }) {
  const action = useAction();
  const [key, setKey] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await action.run('setGeminiKey', { apiKey: key });
    // Cleared either way: a secret must not linger in a field after a failed save.
    setKey('');
    if (saved) props.onChanged();
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>Gemini API key</span>
        <div className="row">
          <input
            className="input grow"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder={
              props.masked.set ? `Saved: ${props.masked.masked ?? '••••'}` : 'Paste your key from Google AI Studio'
            }
            data-testid="gemini-key"
          />
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!key.trim() || action.busy}
            data-testid="gemini-key-save"
          >
            Save key
          </button>
          {props.masked.set && (
            <button
              type="button"
              className="btn btn-danger-ghost"
              onClick={async () => {
                if (await action.run('clearGeminiKey', {})) props.onChanged();
              }}
              data-testid="gemini-key-clear"
            >
              Remove
            </button>
          )}
        </div>
        <small className="muted" data-testid="gemini-key-status">
          {props.masked.set
            ? `A key is stored in your system keychain (${props.masked.masked ?? '••••'}).`
            : 'No key stored. It is kept in your system keychain, never in Trove’s files.'}
        </small>
      </label>
      <ErrorBanner error={action.error} />
    </form>
  );
}
