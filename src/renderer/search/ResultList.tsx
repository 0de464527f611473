import { useEffect, type KeyboardEvent } from 'react';
import { codeRuns } from '../../shared/code-runs';
import type { SearchGroup, SnippetSegment } from '../../shared/contract';
import { CopiesLine } from './CopiesLine';
import { MouseAction } from './MouseAction';
import { chunkLocation, sourceLine } from './result-labels';

export interface ResultActions {
  open(index: number): void;
  /** Opens one of the copies folded into a result. */
  openCopy(documentId: string): void;
  togglePreview(index: number): void;
  /** Absent: no "More like this" (e.g. the quick-search window). */
  similar?(index: number): void;
}

/** The id of a result's option element, for aria-activedescendant. */
export const resultOptionId = (listId: string, group: SearchGroup): string => `${listId}-${group.document.id}`;

/**
 * Results as a listbox: one option per document (title, where it comes
 * from, its best passages with heading path and page). The selection is
 * driven by useResultKeys; its title and buttons are for the mouse
 * (MouseAction), the keyboard has Enter, Space/→ and the preview pane's
 * buttons.
 */
export function ResultList(props: {
  listId: string;
  label: string;
  groups: readonly SearchGroup[];
  active: number;
  previewOpen: boolean;
  actions: ResultActions;
  onSelect(index: number): void;
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
  /** Passages per result (the quick window shows one). */
  maxChunks?: number;
}) {
  const { groups, active, listId } = props;
  const activeId = groups[active] ? resultOptionId(listId, groups[active]) : undefined;

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  return (
    <ul
      id={listId}
      className="results"
      role="listbox"
      aria-label={props.label}
      aria-activedescendant={activeId}
      tabIndex={groups.length > 0 ? 0 : -1}
      onKeyDown={props.onKeyDown}
      data-testid="search-results"
    >
      {groups.map((group, index) => {
        const doc = group.document;
        const selected = index === active;
        const where = chunkLocation(doc, group.chunks[0]!);
        const copies = group.copies ?? [];
        const copiesNote =
          copies.length > 0
            ? `same or nearly the same text in ${copies.length} more place${copies.length > 1 ? 's' : ''}`
            : '';
        return (
          <li
            key={doc.id}
            id={resultOptionId(listId, group)}
            role="option"
            aria-selected={selected}
            aria-label={[doc.title, sourceLine(doc), where, copiesNote].filter(Boolean).join(', ')}
            className={`result card${selected ? ' result-active' : ''}`}
            onClick={() => props.onSelect(index)}
            data-testid="search-result"
          >
            <div className="result-head">
              <MouseAction className="result-title link" onClick={() => props.actions.open(index)} testId="open-source">
                {doc.title}
              </MouseAction>
              <span className="result-source">{sourceLine(doc)}</span>
            </div>
            <CopiesLine group={group} onOpen={props.actions.openCopy} tabbable={false} />
            {group.chunks.slice(0, props.maxChunks ?? 4).map((chunk) => (
              <div key={chunk.chunkId} className="snippet">
                {chunkLocation(doc, chunk) && <div className="snippet-path">{chunkLocation(doc, chunk)}</div>}
                <p>
                  <Segments segments={chunk.snippet} />
                </p>
              </div>
            ))}
            <div className="result-actions">
              <MouseAction
                className="btn btn-small"
                onClick={(e) => {
                  e.stopPropagation();
                  props.actions.togglePreview(index);
                }}
                testId="toggle-preview"
              >
                {selected && props.previewOpen ? 'Hide preview' : 'Preview'}
              </MouseAction>
              {props.actions.similar && (
                <MouseAction
                  className="btn btn-small"
                  onClick={(e) => {
                    e.stopPropagation();
                    props.actions.similar?.(index);
                  }}
                  testId="more-like-this"
                >
                  More like this
                </MouseAction>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Snippet or passage text: matches marked, code in a monospace font. Code
 * that runs over several lines (a source file's passage, a fenced block) is
 * one block, so its indentation and background hold together when lines wrap.
 */
export function Segments(props: { segments: readonly SnippetSegment[] }) {
  const runs = codeRuns(props.segments);
  const isBlock = (run: (typeof runs)[number] | undefined): boolean =>
    run !== undefined && run.code && run.segments.some((segment) => segment.text.includes('\n'));
  // A window opening inside a block of code: its "…" goes inside the block, not on a line of its own above it.
  const isLeadIn = (index: number): boolean =>
    !runs[index]!.code && runs[index]!.segments.every((s) => s.text.trim() === '…') && isBlock(runs[index + 1]);
  return (
    <>
      {runs.map((run, index) => {
        if (isLeadIn(index)) return null;
        if (isBlock(run)) {
          return (
            <code key={index} className="code-block">
              {index > 0 && isLeadIn(index - 1) ? '…' : null}
              {marked(run.segments)}
            </code>
          );
        }
        // Code within a line is one box with its matches marked inside: a box per piece had shown
        // `--force-with-lease` as "--" and "force-with-lease" apart.
        if (run.code) return <code key={index}>{marked(run.segments)}</code>;
        return run.segments.map((segment, i) => {
          const key = `${index}-${i}`;
          return segment.match ? <mark key={key}>{segment.text}</mark> : <span key={key}>{segment.text}</span>;
        });
      })}
    </>
  );
}

/** Segments as text, the matches marked. */
function marked(segments: readonly SnippetSegment[]) {
  return segments.map((segment, i) => (segment.match ? <mark key={i}>{segment.text}</mark> : segment.text));
}
