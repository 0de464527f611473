import { useEffect, useRef, type ReactNode } from 'react';
import type { DocumentSummary } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/errors';

export function EmptyState(props: { title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={props.testId ?? 'empty-state'}>
      <div className="empty-title">{props.title}</div>
      {props.children && <div className="empty-body">{props.children}</div>}
      {props.action && <div className="empty-action">{props.action}</div>}
    </div>
  );
}

export function ErrorBanner(props: { error: ErrorInfo | null; onDismiss?: () => void }) {
  if (!props.error) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <span>{props.error.message}</span>
      {props.onDismiss && (
        <button type="button" className="btn btn-ghost btn-small" onClick={props.onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}

/** Determinate when `value` is a number in 0..1, indeterminate (animated) when null. */
export function ProgressBar(props: { value: number | null; label?: string; testId?: string }) {
  const percent = props.value === null ? null : Math.round(Math.max(0, Math.min(1, props.value)) * 100);
  return (
    <div
      className={`progress ${percent === null ? 'progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={props.label ?? 'Progress'}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      data-testid={props.testId ?? 'progress'}
      data-value={percent ?? ''}
    >
      <div className="progress-fill" style={{ width: percent === null ? '40%' : `${percent}%` }} />
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  active: 'ok',
  completed: 'ok',
  succeeded: 'ok',
  success: 'ok',
  ready: 'ok',
  paused: 'muted',
  skipped: 'muted',
  cancelled: 'muted',
  deleted: 'muted',
  not_downloaded: 'muted',
  pending: 'info',
  queued: 'info',
  processing: 'busy',
  running: 'busy',
  downloading: 'busy',
  partial: 'warn',
  disconnected: 'warn',
  error: 'bad',
  failed: 'bad',
};

/**
 * A document's status, a completed one named by `done` ("imported",
 * "indexed"), and "… in part" in the warning tone when a damaged file was
 * read only in part (its `notice` says what was lost).
 */
export function DocumentBadge(props: { doc: Pick<DocumentSummary, 'status' | 'notice'>; done: string }) {
  const { status, notice } = props.doc;
  if (status !== 'completed') return <StatusBadge status={status} />;
  return notice ? (
    <StatusBadge status="partial" label={`${props.done} in part`} />
  ) : (
    <StatusBadge status={status} label={props.done} />
  );
}

export function StatusBadge(props: { status: string; label?: string }) {
  return (
    <span
      className={`badge badge-${STATUS_TONE[props.status] ?? 'muted'}`}
      data-testid="status-badge"
      data-status={props.status}
    >
      {props.label ?? props.status.replace(/_/g, ' ')}
    </span>
  );
}

/**
 * A modal built on <dialog>: showModal() makes the rest of the page inert, so
 * focus stays inside, and Escape closes it. On close, focus goes back to
 * what had it before (the row or button that opened it).
 */
export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${props.wide ? 'modal-wide' : ''}`}
      onClose={props.onClose}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      data-testid={props.testId ?? 'modal'}
      aria-labelledby="modal-title"
    >
      <header className="modal-header">
        <h2 id="modal-title">{props.title}</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={props.onClose} aria-label="Close">
          ×
        </button>
      </header>
      <div className="modal-body">{props.children}</div>
      {props.footer && <footer className="modal-footer">{props.footer}</footer>}
    </dialog>
  );
}

export function PageHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p className="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions && <div className="page-actions">{props.actions}</div>}
    </header>
  );
}

/**
 * A row of mutually exclusive buttons: tabs (`role="tab"`, aria-selected) or
 * a choice (`role="radio"`, aria-checked). `testIdPrefix` + id names each button.
 */
export function Segmented<Id extends string>(props: {
  label: string;
  role: 'tab' | 'radio';
  options: ReadonlyArray<readonly [Id, string]>;
  value: Id;
  onChange: (id: Id) => void;
  testIdPrefix?: string;
}) {
  const tabs = props.role === 'tab';
  return (
    <div className="segmented" role={tabs ? 'tablist' : 'radiogroup'} aria-label={props.label}>
      {props.options.map(([id, text]) => (
        <button
          key={id}
          type="button"
          role={props.role}
          {...(tabs ? { 'aria-selected': props.value === id } : { 'aria-checked': props.value === id })}
          className={`segment ${props.value === id ? 'segment-active' : ''}`}
          onClick={() => props.onChange(id)}
          data-testid={props.testIdPrefix ? `${props.testIdPrefix}${id}` : undefined}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

/** The button that opens and closes what a card or row holds; `labels` when closed and when open. */
export function ExpandButton(props: {
  expanded: boolean;
  onToggle: (expanded: boolean) => void;
  testId: string;
  labels: [string, string];
}) {
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost"
      aria-expanded={props.expanded}
      onClick={() => props.onToggle(!props.expanded)}
      data-testid={props.testId}
    >
      {props.expanded ? props.labels[1] : props.labels[0]}
    </button>
  );
}
