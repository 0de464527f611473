import type { SearchGroup } from '../../shared/contract';
import type { MouseEvent } from 'react';
import { MouseAction } from './MouseAction';
import { copyLabel } from './result-labels';

/**
 * "Same or nearly the same text in: backup/plan.md · plan (1).md": the copies
 * search folded into a result, each a button that opens that copy. In the
 * result list they are for the mouse (MouseAction: the list's keyboard model
 * owns Tab, and screen readers read the result's label, which says how many
 * copies there are); in the preview pane they are buttons Tab reaches.
 */
export function CopiesLine(props: { group: SearchGroup; onOpen(documentId: string): void; tabbable: boolean }) {
  const copies = props.group.copies ?? [];
  if (copies.length === 0) return null;
  const open = (id: string) => (e: MouseEvent) => {
    e.stopPropagation();
    props.onOpen(id);
  };
  return (
    <div className="result-copies" data-testid="result-copies">
      <span>Same or nearly the same text in: </span>
      {copies.map((copy, i) => (
        <span key={copy.id}>
          {i > 0 && ' · '}
          {props.tabbable ? (
            <button type="button" className="link" onClick={open(copy.id)} data-testid="open-copy">
              {copyLabel(copy, props.group.document)}
            </button>
          ) : (
            <MouseAction className="link" onClick={open(copy.id)} testId="open-copy">
              {copyLabel(copy, props.group.document)}
            </MouseAction>
          )}
        </span>
      ))}
    </div>
  );
}
