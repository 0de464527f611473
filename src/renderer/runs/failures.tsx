import { useState } from 'react';
import type { DocumentSummary } from '../../shared/contract';
import { useAction, useApi, useCommand } from '../api/hooks';
import { openSource } from '../open-source';
import { EmptyState, ErrorBanner, Modal } from '../ui/components';
import { formatCount, plural } from '../ui/format';

export interface FailureScope {
  connectorId?: string;
  syncLogId?: string;
  status?: 'error' | 'skipped';
}

/**
 * Failed (or skipped) documents of a connector, a run or the whole library,
 * named by title and path with the reason, and what can be done about them:
 * open or show the file, retry one, retry all.
 */
export function FailureList(props: { scope: FailureScope; notify: (message: string) => void; limit?: number }) {
  const api = useApi();
  const status = props.scope.status ?? 'error';
  const docs = useCommand(
    'listDocuments',
    {
      connectorId: props.scope.connectorId,
      syncLogId: props.scope.syncLogId,
      status: [status],
      sort: 'title',
      limit: props.limit ?? 200,
    },
    { refreshOn: (e) => e.type === 'sync.finished' || e.type === 'run.progress', throttleMs: 800 },
  );
  const action = useAction();
  const [retried, setRetried] = useState<Set<string>>(new Set());

  const retry = async (documentIds?: string[]) => {
    const result = await action.run('retryDocuments', {
      ...(documentIds ? { documentIds } : { connectorId: props.scope.connectorId, syncLogId: props.scope.syncLogId }),
    });
    if (!result) return;
    setRetried((r) => new Set([...r, ...(documentIds ?? items.map((d) => d.id))]));
    const count = result.reindexed + result.reread;
    props.notify(`Retrying ${plural(count, 'document')}. Progress shows on its connector.`);
    docs.reload();
  };
  const open = async (doc: DocumentSummary) => {
    const message = await openSource(api, doc.sourceUrl ?? doc.path);
    if (message) props.notify(message);
  };

  const items = docs.data?.items ?? [];
  if (docs.data && items.length === 0) {
    return (
      <EmptyState title={status === 'error' ? 'No failed documents' : 'No skipped documents'} testId="failures-empty">
        {status === 'error' ? 'Every document here was read and indexed.' : 'Nothing here was left out.'}
      </EmptyState>
    );
  }
  return (
    <div className="failures" data-testid="failure-list">
      <ErrorBanner error={docs.error ?? action.error} onDismiss={action.clearError} />
      {status === 'error' && items.length > 1 && (
        <div className="row">
          <span className="muted small">{formatCount(docs.data?.total ?? items.length)} failed</span>
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => void retry()}
            disabled={action.busy}
            data-testid="retry-all"
          >
            Retry all
          </button>
        </div>
      )}
      <ul className="failure-items">
        {items.map((doc) => (
          <li key={doc.id} className="failure-item" data-testid="failure-item" data-document-id={doc.id}>
            <div className="failure-main">
              <strong className="failure-title">{doc.title}</strong>
              {doc.path && (
                <span className="muted small mono failure-path" data-testid="failure-path">
                  {doc.path}
                </span>
              )}
              <span className={status === 'error' ? 'text-bad small' : 'muted small'} data-testid="failure-reason">
                {doc.error ?? 'No reason was recorded.'}
              </span>
            </div>
            <div className="failure-actions">
              {(doc.sourceUrl ?? doc.path) && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void open(doc)}
                  data-testid="failure-open"
                >
                  {/^https?:/i.test(doc.sourceUrl ?? '')
                    ? 'Open'
                    : api.shape === 'desktop'
                      ? 'Show in folder'
                      : 'Copy path'}
                </button>
              )}
              {status === 'error' && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void retry([doc.id])}
                  disabled={action.busy || retried.has(doc.id)}
                  data-testid="failure-retry"
                >
                  {retried.has(doc.id) ? 'Retrying…' : 'Retry'}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FailuresDialog(props: {
  title: string;
  scope: FailureScope;
  onClose: () => void;
  notify: (message: string) => void;
}) {
  return (
    <Modal title={props.title} onClose={props.onClose} testId="failures-dialog" wide>
      <FailureList scope={props.scope} notify={props.notify} />
    </Modal>
  );
}
