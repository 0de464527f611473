import type { SearchGroup } from '../../shared/contract';
import { copyLabel } from './result-labels';

/**
 * "Same or nearly the same text in: backup/plan.md · plan (1).md": the copies
 * search folded into a result, each a button that opens that copy. In the
 * result list the buttons are for the mouse (the list's keyboard model owns
 * Tab); in the preview pane Tab reaches them.
 */
export function CopiesLine(props: { group: SearchGroup; onOpen(documentId: string): void; tabbable: boolean }) {
  const copies = props.group.copies ?? [];
  if (copies.length === 0) return null;
  return (
    <div className="result-copies" data-testid="result-copies">
      <span>Same or nearly the same text in: </span>
      {copies.map((copy, i) => (
        <span key={copy.id}>
          {i > 0 && ' · '}
          <button
            type="button"
            tabIndex={props.tabbable ? undefined : -1}
            className="link"
            onClick={(e) => {
              e.stopPropagation();
              props.onOpen(copy.id);
            }}
            data-testid="open-copy"
          >
            {copyLabel(copy, props.group.document)}
          </button>
        </span>
      ))}
    </div>
  );
}
