import type { SearchGroup, SearchResponse, SimilarResponse, SnippetSegment } from '../core/search/types';
import { terminalSafe } from './terminal-text';
import { codeRuns } from '../../shared/code-runs';
import { pageLabel } from '../../shared/page-label';
import { CONNECTOR_TYPE_LABEL } from '../../shared/connector-labels';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
const mark = (s: string): string => (process.stdout.isTTY ? `\x1b[7m${s}\x1b[27m` : `[${s}]`);
const code = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[22m` : `\`${s}\``);

/** One line of a document's text: runs of whitespace (newlines too) become one space, controls are made visible. */
const oneLine = (text: string): string => terminalSafe(text.replace(/\s+/g, ' '));

/**
 * Human-readable search results: what the query was understood as, then one
 * block per document, its best passages with matches marked. Everything
 * that comes from a document, a path or the query is made terminal-safe
 * before Trove adds its own bold and highlight codes.
 */
export function formatSearch(result: SearchResponse): string {
  const lines: string[] = [];
  if (result.notice) lines.push(`Note: ${terminalSafe(result.notice)}`);
  if (result.suggestion) lines.push(`Did you mean: ${bold(oneLine(result.suggestion.query))}`);
  if (result.fuzzy?.length) {
    lines.push(
      `Also matched: ${result.fuzzy.map((f) => `${oneLine(f.correction)} for ${oneLine(f.word)}`).join(', ')}`,
    );
  }
  if (result.operators.length > 0) lines.push(`Understood: ${result.operators.map((o) => oneLine(o.text)).join('  ')}`);
  if (lines.length > 0) lines.push('');
  if (result.groups.length === 0) lines.push('No results.');
  lines.push(...formatGroups(result.groups));
  lines.push(
    `${result.mode} search, ${result.tookMs.toFixed(1)} ms${result.nextCursor ? ', more results available' : ''}`,
  );
  return lines.join('\n');
}

/** Human-readable "more like this" results. */
export function formatSimilar(result: SimilarResponse): string {
  const lines: string[] = [];
  if (result.notice) lines.push(`Note: ${terminalSafe(result.notice)}`);
  lines.push(
    result.basis === 'vectors'
      ? 'Similar by meaning:'
      : `Similar by shared words: ${result.terms.map(oneLine).join(', ') || '(the document has no distinctive words)'}`,
    '',
  );
  if (result.groups.length === 0) lines.push('No similar documents.');
  lines.push(...formatGroups(result.groups));
  lines.push(`${result.tookMs.toFixed(1)} ms`);
  return lines.join('\n');
}

function formatGroups(groups: readonly SearchGroup[]): string[] {
  const lines: string[] = [];
  groups.forEach((group, i) => {
    const where = group.document.sourceUrl ?? group.document.id;
    lines.push(
      `${i + 1}. ${bold(oneLine(group.document.title))}  (${CONNECTOR_TYPE_LABEL[group.document.connectorType] ?? group.document.connectorType})`,
    );
    lines.push(`   ${terminalSafe(where)}`);
    // Copies folded into this result (same or nearly the same text): where else it is.
    for (const copy of group.copies ?? []) lines.push(`   also: ${terminalSafe(copy.sourceUrl ?? copy.id)}`);
    for (const chunk of group.chunks.slice(0, 2)) {
      const context = [
        chunk.headingPath.map(oneLine).join(' › '),
        chunk.page ? pageLabel(group.document.pageUnit, chunk.page) : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(`   ${context ? `[${context}] ` : ''}${snippetLine(chunk.snippet)}`);
    }
    lines.push('');
  });
  return lines;
}

/**
 * A snippet on one line. A passage of code is marked as one run (backticks
 * in a log, dim on a terminal), its highlights inside it; a snippet that is
 * all code is not marked at all, there being no prose to tell it from.
 */
function snippetLine(snippet: readonly SnippetSegment[]): string {
  const runs = codeRuns(snippet);
  const allCode = runs.every((run) => run.code || run.segments.every((s) => /^[\s…]*$/.test(s.text)));
  return runs
    .map((run) => {
      const text = run.segments.map((s) => (s.match ? mark(oneLine(s.text)) : oneLine(s.text))).join('');
      return run.code && !allCode ? code(text) : text;
    })
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
}
