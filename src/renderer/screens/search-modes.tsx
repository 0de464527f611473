import { useEffect, useState } from 'react';
import type { SearchMode, SearchStatus } from '../../shared/contract';
import { useAction, useCommand, useEvents } from '../api/hooks';
import { ErrorBanner, ProgressBar } from '../ui/components';
import { formatBytes } from '../ui/format';
import { GeminiKeyForm } from '../ui/gemini-key-form';

const MODE_KEY = 'trove.searchMode';

function storedMode(): SearchMode {
  const saved = window.localStorage.getItem(MODE_KEY);
  return saved === 'keyword' || saved === 'semantic' || saved === 'hybrid' ? saved : 'hybrid';
}

/**
 * The chosen search mode (kept across screens and reloads) and the mode that
 * can run now: semantic and hybrid need a ready embedding model, so until
 * then keyword runs, and the chosen mode comes back by itself once it is ready.
 */
export function useSearchModes(): {
  status: SearchStatus | null;
  chosen: SearchMode;
  setChosen: (mode: SearchMode) => void;
  mode: SearchMode;
  canRun: (mode: SearchMode) => boolean;
} {
  const [chosen, setChosenState] = useState<SearchMode>(storedMode);
  const status = useCommand(
    'searchStatus',
    {},
    {
      refreshOn: (e) =>
        e.type === 'embedding.changed' ||
        e.type === 'sync.finished' ||
        (e.type === 'model.download' && e.status !== 'downloading'),
      throttleMs: 200,
    },
  );
  const ready = status.data?.semantic.state === 'ready';
  // Until the status is known, do not pretend: search by keyword.
  const canRun = (mode: SearchMode) => mode === 'keyword' || ready;
  return {
    status: status.data,
    chosen,
    setChosen: (mode) => {
      window.localStorage.setItem(MODE_KEY, mode);
      setChosenState(mode);
    },
    mode: canRun(chosen) ? chosen : 'keyword',
    canRun,
  };
}

/** What semantic search is missing, with the one-click fix: download the model, or enter the Gemini key. */
export function SemanticSetup(props: { status: SearchStatus | null; chosen: SearchMode }) {
  const semantic = props.status?.semantic;
  const action = useAction();
  const [live, setLive] = useState<{ downloaded: number; total: number | null } | null>(null);
  const [keySaved, setKeySaved] = useState(false);
  useEvents((event) => {
    if (event.type === 'model.download' && event.modelId === semantic?.modelId) {
      setLive(event.status === 'downloading' ? { downloaded: event.downloadedBytes, total: event.totalBytes } : null);
    }
  });
  useEffect(() => setKeySaved(false), [semantic?.state]);
  if (!semantic || semantic.state === 'ready') return null;

  const size = semantic.sizeBytes ? formatBytes(semantic.sizeBytes) : null;
  const wanted =
    props.chosen === 'keyword'
      ? 'Semantic and hybrid search'
      : `${props.chosen === 'hybrid' ? 'Hybrid' : 'Semantic'} search`;
  return (
    <div className="banner banner-info setup" data-testid="semantic-setup" data-state={semantic.state}>
      {semantic.state === 'model_not_downloaded' && (
        <>
          <div>
            <strong>{wanted} needs a model.</strong> Until {semantic.modelName.replace(/\s*\(.*\)$/, '')} is downloaded
            (once), only keyword search runs. The model then works on this computer, offline.
          </div>
          <button
            type="button"
            className="btn btn-primary"
            disabled={action.busy}
            onClick={() => void action.run('downloadModel', { modelId: semantic.modelId })}
            data-testid="semantic-download"
          >
            Download{size ? ` (${size})` : ''}
          </button>
        </>
      )}
      {semantic.state === 'model_downloading' && (
        <div className="grow">
          <div>Downloading {semantic.modelName}… keyword search runs meanwhile.</div>
          <ProgressBar
            value={
              (live?.total ?? semantic.sizeBytes)
                ? (live?.downloaded ?? semantic.downloadedBytes) / (live?.total ?? semantic.sizeBytes ?? 1)
                : null
            }
            label="Model download"
            testId="semantic-download-progress"
          />
          <span className="muted small">
            {formatBytes(live?.downloaded ?? semantic.downloadedBytes)}
            {size ? ` of ${size}` : ''}
          </span>
        </div>
      )}
      {semantic.state === 'model_loading' && (
        <div>{semantic.message ?? 'Loading the model…'} Keyword search runs meanwhile.</div>
      )}
      {semantic.state === 'gemini_key_missing' && (
        <div className="grow">
          <div>
            <strong>{wanted} with Google Gemini needs your API key.</strong> Only keyword search runs until it is set.
            Create a key in Google AI Studio and paste it here; it is kept in your system keychain.
          </div>
          {keySaved ? (
            <p className="muted">Key saved; connecting to Gemini…</p>
          ) : (
            <GeminiKeyForm masked={{ set: false, masked: null }} onChanged={() => setKeySaved(true)} />
          )}
        </div>
      )}
      {semantic.state === 'error' && (
        <div>
          <strong>Semantic search is not available:</strong> {semantic.message ?? 'the model could not be loaded.'}{' '}
          Keyword search still works. Settings › Embeddings has the details.
        </div>
      )}
      <ErrorBanner error={action.error} onDismiss={action.clearError} />
    </div>
  );
}
