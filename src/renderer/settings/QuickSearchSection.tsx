import { useEffect, useRef, useState } from 'react';
import { Accelerator, DEFAULT_QUICK_SEARCH_SHORTCUT } from '../../shared/contract';
import { useCommand } from '../api/hooks';

/**
 * The desktop app's quick-search shortcut: change it, switch it off, or go
 * back to the default. Checked here as the core checks it (the contract's
 * Accelerator), so a typo is named before it is sent.
 */
export function QuickSearchSection(props: { shortcut: string | null; onSave(shortcut: string | null): void }) {
  // Whether the system gave Trove the shortcut: another app may hold it.
  const status = useCommand('quickSearchShortcutStatus', {});
  const reloadStatus = status.reload;
  // Asked again when the shortcut changes; the first answer comes with the mount.
  const askedFor = useRef(props.shortcut);
  useEffect(() => {
    if (askedFor.current === props.shortcut) return;
    askedFor.current = props.shortcut;
    reloadStatus();
  }, [props.shortcut, reloadStatus]);
  const taken = status.data?.shortcut != null && !status.data.registered ? status.data.shortcut : null;
  const [value, setValue] = useState(props.shortcut ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setValue(props.shortcut ?? ''), [props.shortcut]);
  const save = (next: string | null) => {
    if (next !== null) {
      const parsed = Accelerator.safeParse(next);
      if (!parsed.success) {
        setProblem(`The shortcut ${parsed.error.issues[0]?.message ?? 'is not valid'}.`);
        return;
      }
    }
    setProblem(null);
    props.onSave(next);
  };
  return (
    <section className="card">
      <h2>Quick search</h2>
      <p className="muted">
        A small search window over any app: press the shortcut, type, Enter opens the document.{' '}
        {props.shortcut ? `Now: ${props.shortcut}.` : 'The shortcut is off; the tray menu still opens it.'}
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          save(value.trim() || null);
        }}
      >
        <input
          className="input grow"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder={DEFAULT_QUICK_SEARCH_SHORTCUT}
          aria-label="Quick search shortcut"
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'quick-shortcut-problem' : undefined}
          data-testid="quick-shortcut"
        />
        <button type="submit" className="btn" data-testid="quick-shortcut-save">
          Save
        </button>
        <button type="button" className="btn" onClick={() => save(null)} data-testid="quick-shortcut-off">
          Turn off
        </button>
        <button type="button" className="btn" onClick={() => save(DEFAULT_QUICK_SEARCH_SHORTCUT)}>
          Default
        </button>
      </form>
      {taken && !problem && (
        <p className="text-bad" role="alert" data-testid="quick-shortcut-taken">
          Another app already uses {taken}, so it does not open quick search: choose another shortcut. The tray menu
          still opens it.
        </p>
      )}
      {problem && (
        <p id="quick-shortcut-problem" className="text-bad" role="alert" data-testid="quick-shortcut-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
