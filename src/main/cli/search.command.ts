import type { SearchResponse } from '../core/search/types';
import { terminalSafe } from './terminal-text';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
const mark = (s: string): string => (process.stdout.isTTY ? `\x1b[7m${s}\x1b[27m` : `[${s}]`);

/** One line of a document's text: runs of whitespace (newlines too) become one space, controls are made visible. */
const oneLine = (text: string): string => terminalSafe(text.replace(/\s+/g, ' '));

/**
 * Human-readable search results: one block per document, its best passages
 * with matches marked. Everything that comes from a document or a path is
 * made terminal-safe before Trove adds its own bold and highlight codes.
 */
export function formatSearch(result: SearchResponse): string {
  const lines: string[] = [];
  if (result.notice) lines.push(`Note: ${terminalSafe(result.notice)}`, '');
  if (result.groups.length === 0) lines.push('No results.');
  result.groups.forEach((group, i) => {
    const where = group.document.sourceUrl ?? group.document.id;
    lines.push(
      `${i + 1}. ${bold(oneLine(group.document.title))}  (${group.document.connectorType}, score ${group.score.toFixed(4)})`,
    );
    lines.push(`   ${terminalSafe(where)}`);
    for (const chunk of group.chunks.slice(0, 2)) {
      const context = [chunk.headingPath.map(oneLine).join(' › '), chunk.page ? `page ${chunk.page}` : '']
        .filter(Boolean)
        .join(', ');
      const text = chunk.snippet
        .map((s) => (s.match ? mark(oneLine(s.text)) : oneLine(s.text)))
        .join('')
        .replace(/ {2,}/g, ' ')
        .trim();
      lines.push(`   ${context ? `[${context}] ` : ''}${text}`);
    }
    lines.push('');
  });
  lines.push(
    `${result.mode} search, ${result.tookMs.toFixed(1)} ms${result.nextCursor ? ', more results available' : ''}`,
  );
  return lines.join('\n');
}
