import { useEffect, useRef, useState } from 'react';
import type { CommandOutput } from '../../shared/contract';

type SearchOutput = CommandOutput<'search'>;

/** The operators search understands (query-syntax.ts), with an example to add to the query. */
const OPERATORS: Array<{ example: string; says: string }> = [
  { example: '"exact phrase"', says: 'these words, in this order' },
  { example: '-word', says: 'leave out documents with this word (or -"a phrase")' },
  { example: 'title:budget', says: 'the word must be in the title' },
  {
    example: 'type:pdf',
    says: 'only this kind: pdf, docx, md, slides, spreadsheet, code, image, or an extension (rst, log…)',
  },
  { example: 'in:drive', says: 'only this source: its name (quoted if it has spaces), drive, notion or local' },
  { example: 'after:2025-01-01', says: 'changed on or after this day (also YYYY or YYYY-MM)' },
  { example: 'before:2025-06', says: 'changed before this month' },
];

/** A "?" button with a small popover listing the operators; choosing one adds it to the query. */
export function OperatorHelp(props: { onInsert(text: string): void }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="popover-anchor" ref={box}>
      <button
        type="button"
        className="btn btn-small"
        aria-expanded={open}
        aria-controls="operator-help"
        onClick={() => setOpen(!open)}
        data-testid="operator-help-toggle"
      >
        Operators
      </button>
      {open && (
        <div
          id="operator-help"
          className="popover card"
          role="dialog"
          aria-label="Search operators"
          data-testid="operator-help"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <p className="muted">Add these to any query; they combine.</p>
          <dl className="operator-list">
            {OPERATORS.map((op) => (
              <div key={op.example} className="operator-row">
                <dt>
                  <button
                    type="button"
                    className="chip chip-button"
                    onClick={() => {
                      props.onInsert(op.example);
                      setOpen(false);
                    }}
                    aria-label={`Add ${op.example} to the query`}
                  >
                    <code>{op.example}</code>
                  </button>
                </dt>
                <dd>{op.says}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}

const KIND_LABEL: Record<string, string> = {
  phrase: 'Phrase',
  exclude: 'Without',
  title: 'Title',
  type: 'Type',
  in: 'In',
  after: 'After',
  before: 'Before',
};

/** The operators search applied, as chips; × takes one out of the query. */
export function OperatorChips(props: { operators: SearchOutput['operators']; onRemove(text: string): void }) {
  const operators = props.operators ?? [];
  if (operators.length === 0) return null;
  return (
    <ul className="chips" aria-label="Operators applied" data-testid="operator-chips">
      {operators.map((op) => (
        <li key={op.text} className="chip" data-testid="operator-chip">
          <span className="muted">{op.negated && op.kind === 'title' ? 'Not in title' : KIND_LABEL[op.kind]}:</span>{' '}
          {op.value}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove ${op.text}`}
            onClick={() => props.onRemove(op.text)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** "Did you mean …" (one click runs it), and the words also searched for as corrections. */
export function SpellingHelp(props: {
  suggestion: SearchOutput['suggestion'];
  fuzzy: SearchOutput['fuzzy'];
  onUse(query: string): void;
}) {
  if (!props.suggestion && !props.fuzzy?.length) return null;
  return (
    <div className="spelling" data-testid="spelling">
      {props.suggestion && (
        <span>
          Did you mean{' '}
          <button
            type="button"
            className="link"
            onClick={() => props.onUse(props.suggestion!.query)}
            data-testid="did-you-mean"
          >
            {props.suggestion.query}
          </button>
          ?
        </span>
      )}
      {props.fuzzy && props.fuzzy.length > 0 && (
        <span className="muted" data-testid="fuzzy">
          {' '}
          Also showing results for {props.fuzzy.map((f) => `“${f.correction}”`).join(', ')}.
        </span>
      )}
    </div>
  );
}
