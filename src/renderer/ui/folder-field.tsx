import type { ReactNode } from 'react';
import { useAction, useApi } from '../api/hooks';
import { ErrorBanner } from './components';

/**
 * A folder's full path, typed, or chosen with Browse… in the desktop app
 * (the system's folder picker; a browser cannot read paths from one).
 */
export function FolderField(props: {
  value: string;
  onChange(path: string): void;
  /** The picker window's title. */
  pickTitle: string;
  testId: string;
  placeholder?: string;
  autoFocus?: boolean;
  hint?: ReactNode;
}) {
  const api = useApi();
  const action = useAction();
  const browse = async () => {
    const picked = await action.run('pickPaths', { kind: 'folder', title: props.pickTitle });
    if (picked?.paths[0]) props.onChange(picked.paths[0]);
  };
  return (
    <>
      <label className="field">
        <span>Folder</span>
        <div className="row">
          <input
            className="input grow"
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
            placeholder={props.placeholder}
            required
            data-testid={props.testId}
            autoFocus={props.autoFocus}
          />
          {api.shape === 'desktop' && (
            <button type="button" className="btn" onClick={() => void browse()}>
              Browse…
            </button>
          )}
        </div>
        {props.hint && <small className="muted">{props.hint}</small>}
      </label>
      <ErrorBanner error={action.error} />
    </>
  );
}
