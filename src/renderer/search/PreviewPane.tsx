import { useEffect, useRef } from 'react';
import type { SearchGroup } from '../../shared/contract';
import { useCommand } from '../api/hooks';
import { ErrorBanner } from '../ui/components';
import { CopiesLine } from './CopiesLine';
import { chunkLocation, sourceLine } from './result-labels';
import { Segments } from './ResultList';

/**
 * The selected result's best passage in context: the chunks around it in
 * reading order, each under its heading path and page, the query's words
 * highlighted, with the actions a keyboard reaches by Tab (Open, Reveal,
 * More like this).
 */
export function PreviewPane(props: {
  group: SearchGroup;
  query: string;
  onClose(): void;
  onOpen(page: number | null): void;
  onReveal(): void;
  onSimilar?(): void;
  /** Opens one of the copies folded into the result. */
  onOpenCopy(documentId: string): void;
}) {
  const { group } = props;
  const doc = group.document;
  const best = group.chunks[0]!;
  const context = useCommand('chunkContext', { chunkId: best.chunkId, query: props.query, around: 2 });
  const current = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const data = context.data;
  const local = doc.connectorType === 'local_folder' || doc.connectorType === 'local_import';

  // Scroll the pane (not the page) so the passage found starts at the top.
  useEffect(() => {
    if (body.current && current.current) body.current.scrollTop = current.current.offsetTop;
  }, [data]);

  return (
    <aside className="preview card" aria-label={`Preview of ${doc.title}`} data-testid="preview">
      <header className="preview-head">
        <div>
          <h2 className="preview-title">{doc.title}</h2>
          <div className="result-source">{sourceLine(doc)}</div>
        </div>
        <button type="button" className="btn btn-small" onClick={props.onClose} aria-label="Close the preview (Esc)">
          ✕
        </button>
      </header>
      <div className="row preview-actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          onClick={() => props.onOpen(best.page)}
          data-testid="preview-open"
        >
          Open{best.page ? ` at ${chunkLocation(doc, { headingPath: [], page: best.page })}` : ''}
        </button>
        {local && (
          <button type="button" className="btn btn-small" onClick={props.onReveal} data-testid="preview-reveal">
            Reveal in folder
          </button>
        )}
        {props.onSimilar && (
          <button type="button" className="btn btn-small" onClick={props.onSimilar} data-testid="preview-similar">
            More like this
          </button>
        )}
      </div>
      <CopiesLine group={group} onOpen={props.onOpenCopy} tabbable />
      <ErrorBanner error={context.error} />
      {!data && !context.error && (
        <p className="muted" role="status" data-testid="preview-loading">
          Loading the passage…
        </p>
      )}
      {data && (
        <div className="preview-body" ref={body} data-testid="preview-body">
          {data.moreBefore && <p className="preview-more">…</p>}
          {data.chunks.map((chunk, i) => {
            const where = chunkLocation(doc, chunk);
            const previous = i > 0 ? chunkLocation(doc, data.chunks[i - 1]!) : null;
            return (
              <div
                key={chunk.chunkId}
                ref={chunk.current ? current : undefined}
                className={`preview-chunk${chunk.current ? ' preview-current' : ''}`}
                data-testid={chunk.current ? 'preview-current' : 'preview-chunk'}
              >
                {where && where !== previous && <div className="snippet-path">{where}</div>}
                <p>
                  <Segments segments={chunk.segments} />
                </p>
              </div>
            );
          })}
          {data.moreAfter && <p className="preview-more">…</p>}
        </div>
      )}
    </aside>
  );
}
