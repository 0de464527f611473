import { useEffect, useState } from 'react';
import type { CommandInput, ModelInfo } from '../../shared/contract';
import { useAction, useApi, useCommand, useEvents } from '../api/hooks';
import { QuickSearchSection } from '../settings/QuickSearchSection';
import { ErrorBanner, PageHeader, ProgressBar, Segmented, StatusBadge } from '../ui/components';
import { formatBytes } from '../ui/format';
import { GeminiKeyForm } from '../ui/gemini-key-form';
import { GoogleClientSection } from './GoogleClientSection';

const PROVIDERS = [
  ['local', 'On this computer'],
  ['gemini', 'Google Gemini'],
] as const;

export function SettingsScreen() {
  const api = useApi();
  const settings = useCommand('getSettings', {});
  const models = useCommand(
    'listModels',
    {},
    { refreshOn: (e) => e.type === 'model.download' && e.status !== 'downloading' },
  );
  const info = useCommand('getAppInfo', {});
  const [live, setLive] = useState<Record<string, { downloaded: number; total: number | null }>>({});
  const action = useAction();
  const [saved, setSaved] = useState<string | null>(null);

  useEvents((event) => {
    if (event.type === 'model.download' && event.status === 'downloading') {
      setLive((l) => ({ ...l, [event.modelId]: { downloaded: event.downloadedBytes, total: event.totalBytes } }));
    }
  });
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(null), 3000);
    return () => clearTimeout(timer);
  }, [saved]);

  const s = settings.data;
  const update = async (input: CommandInput<'updateSettings'>, message: string) => {
    if (await action.run('updateSettings', input)) {
      setSaved(message);
      settings.reload();
      models.reload();
    }
  };
  const provider = s?.embedding.provider ?? 'local';
  const providerModels = (models.data?.items ?? []).filter((m) => m.provider === provider);

  return (
    <div className="screen">
      <PageHeader title="Settings" subtitle="How Trove understands your documents, and where it keeps them." />
      <ErrorBanner error={settings.error ?? action.error} onDismiss={action.clearError} />
      {saved && (
        <div className="banner banner-ok" role="status" data-testid="settings-saved">
          {saved}
        </div>
      )}
      {s && (
        <>
          <section className="card">
            <h2>Embeddings</h2>
            <p className="muted">
              The model that turns text into meaning for semantic search. Changing it re-embeds everything in the
              background; keyword search keeps working meanwhile.
            </p>
            <Segmented
              label="Embedding provider"
              role="radio"
              options={PROVIDERS}
              value={provider}
              onChange={(id) =>
                void update(
                  { embeddingProvider: id },
                  `Embedding provider set to ${PROVIDERS.find(([p]) => p === id)![1]}.`,
                )
              }
              testIdPrefix="provider-"
            />
            <ul className="model-list" data-testid="model-list">
              {providerModels.map((model) => (
                <ModelRow
                  key={model.id}
                  model={model}
                  selected={s.embedding.modelId === model.id}
                  live={live[model.id]}
                  onSelect={() => void update({ modelId: model.id }, `Now embedding with ${model.name}.`)}
                  onChanged={() => models.reload()}
                />
              ))}
            </ul>
            {provider === 'gemini' && <GeminiKeyForm masked={s.geminiKey} onChanged={() => settings.reload()} />}
          </section>
          <GoogleClientSection
            googleClient={s.googleClient}
            onChanged={() => {
              settings.reload();
              setSaved('Google Drive client saved.');
            }}
          />
          <RelaySection
            relayUrl={s.relayUrl}
            onSave={(relayUrl) => void update({ relayUrl }, relayUrl ? 'Relay URL saved.' : 'Relay turned off.')}
          />
          {api.shape === 'desktop' && (
            <QuickSearchSection
              shortcut={s.quickSearchShortcut}
              onSave={(shortcut) =>
                void update(
                  { quickSearchShortcut: shortcut },
                  shortcut ? `Quick search: ${shortcut}.` : 'Shortcut off.',
                )
              }
            />
          )}
          <section className="card">
            <h2>Data</h2>
            <dl className="detail-grid">
              <dt>Data folder</dt>
              <dd className="mono" data-testid="data-dir">
                {s.dataDir}
              </dd>
              <dt>Size on disk</dt>
              <dd data-testid="data-size">{formatBytes(s.dataSizeBytes)}</dd>
              {info.data && (
                <>
                  <dt>Version</dt>
                  <dd>{info.data.version}</dd>
                </>
              )}
            </dl>
          </section>
        </>
      )}
    </div>
  );
}

function ModelRow(props: {
  model: ModelInfo;
  selected: boolean;
  live?: { downloaded: number; total: number | null };
  onSelect: () => void;
  onChanged: () => void;
}) {
  const { model } = props;
  const action = useAction();
  const downloaded = props.live?.downloaded ?? model.downloadedBytes;
  const total = props.live?.total ?? model.sizeBytes;
  const run = async (command: 'downloadModel' | 'cancelModelDownload') => {
    await action.run(command, { modelId: model.id });
    props.onChanged();
  };
  const usable = model.provider === 'gemini' || model.status === 'ready';
  return (
    <li className={`model ${props.selected ? 'model-selected' : ''}`} data-testid="model-row" data-model-id={model.id}>
      <label className="model-choice">
        <input
          type="radio"
          name="model"
          checked={props.selected}
          disabled={!usable && !props.selected}
          onChange={props.onSelect}
          data-testid="model-select"
        />
        <span>
          <strong>{model.name}</strong>
          <br />
          <span className="muted small">{model.description}</span>
        </span>
      </label>
      <div className="model-actions">
        {model.provider === 'local' && <StatusBadge status={model.status} />}
        {model.provider === 'local' && (model.status === 'not_downloaded' || model.status === 'failed') && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void run('downloadModel')}
            disabled={action.busy}
            data-testid="model-download"
          >
            Download
          </button>
        )}
        {model.status === 'downloading' && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void run('cancelModelDownload')}
            data-testid="model-cancel"
          >
            Cancel
          </button>
        )}
      </div>
      {model.status === 'downloading' && (
        <div className="model-progress">
          <ProgressBar
            value={total ? downloaded / total : null}
            label={`Download of ${model.name}`}
            testId="model-progress"
          />
          <span className="muted small">
            {formatBytes(downloaded)}
            {total ? ` of ${formatBytes(total)}` : ''}
          </span>
        </div>
      )}
      {model.error && <p className="text-bad small">{model.error}</p>}
      <ErrorBanner error={action.error} />
    </li>
  );
}

function RelaySection(props: { relayUrl: string | null; onSave: (url: string | null) => void }) {
  const [value, setValue] = useState(props.relayUrl ?? '');
  useEffect(() => setValue(props.relayUrl ?? ''), [props.relayUrl]);
  return (
    <section className="card">
      <h2>Webhook relay</h2>
      <p className="muted">
        Google Drive and Notion announce changes to a public relay, which Trove polls, so changes arrive within seconds
        instead of at the next sync.
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave(value.trim() || null);
        }}
      >
        <input
          className="input grow"
          type="url"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="https://relay.example.com"
          aria-label="Relay URL"
          data-testid="relay-url"
        />
        <button type="submit" className="btn" data-testid="relay-save">
          Save
        </button>
      </form>
    </section>
  );
}
