import type { SearchResponse } from '../core/search/types';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
const mark = (s: string): string => (process.stdout.isTTY ? `\x1b[7m${s}\x1b[27m` : `[${s}]`);

/** Human-readable search results: one block per document, its best passages with matches marked. */
export function formatSearch(result: SearchResponse): string {
  const lines: string[] = [];
  if (result.notice) lines.push(`Note: ${result.notice}`, '');
  if (result.groups.length === 0) lines.push('No results.');
  result.groups.forEach((group, i) => {
    const where = group.document.sourceUrl ?? group.document.id;
    lines.push(
      `${i + 1}. ${bold(group.document.title)}  (${group.document.connectorType}, score ${group.score.toFixed(4)})`,
    );
    lines.push(`   ${where}`);
    for (const chunk of group.chunks.slice(0, 2)) {
      const context = [chunk.headingPath.join(' › '), chunk.page ? `page ${chunk.page}` : '']
        .filter(Boolean)
        .join(', ');
      const text = chunk.snippet
        .map((s) => (s.match ? mark(s.text) : s.text))
        .join('')
        .replace(/\s+/g, ' ')
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
