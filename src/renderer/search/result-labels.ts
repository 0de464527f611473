import type { SearchGroup } from '../../shared/contract';
import { labelHeadings } from '../../shared/heading-label';
import { pageLabel } from '../../shared/page-label';
import { CONNECTOR_TYPE_LABEL } from '../../shared/connector-labels';
import { formatRelative } from '../ui/format';

type ResultDocument = SearchGroup['document'];
type ResultChunk = SearchGroup['chunks'][number];

/**
 * Where a result comes from, said once: "Notion · Team wiki", but only
 * "Imported files" when the source's name is its kind's name; then where
 * the file is in a watched folder and its name when the title came from
 * inside it ("library/json.html"; "src/queue/" when the title is the name);
 * then when it changed.
 */
export function sourceLine(doc: ResultDocument): string {
  const kind = CONNECTOR_TYPE_LABEL[doc.connectorType] ?? doc.connectorType;
  const parts = [
    doc.connectorName.trim().toLowerCase() === kind.toLowerCase() ? kind : `${kind} · ${doc.connectorName}`,
  ];
  const where = `${doc.folder ?? ''}${doc.fileName ?? ''}`;
  if (where) parts.push(where);
  if (doc.sourceModifiedAt) parts.push(formatRelative(doc.sourceModifiedAt));
  return parts.join(' · ');
}

/**
 * Where a copy folded into a result is, told apart from the result itself:
 * a watched folder's file by its folder and name ("backup/plan.md"),
 * otherwise its name, with its source when that is another one ("plan.md
 * in Team Drive", "plan.md in Imported files": a dropped file's path is
 * Trove's own copy, which says nothing to the person).
 */
export function copyLabel(copy: ResultDocument, original: ResultDocument): string {
  const name = copy.fileName ?? copy.title;
  if (copy.connectorType === 'local_folder' && copy.sourceUrl?.startsWith('file:')) {
    try {
      const parts = decodeURIComponent(new URL(copy.sourceUrl).pathname).split('/').filter(Boolean);
      if (parts.length > 0) return parts.slice(-2).join('/');
    } catch {
      // Not a URL after all: fall back to the name.
    }
  }
  return copy.connectorId === original.connectorId ? name : `${name} in ${copy.connectorName}`;
}

/**
 * Where in the document a chunk sits: its heading path without a first
 * heading that repeats the title (shown just above), and its page.
 */
export function chunkLocation(doc: ResultDocument, chunk: Pick<ResultChunk, 'headingPath' | 'page'>): string {
  const path = labelHeadings(chunk.headingPath, [doc.title]);
  const parts = path.length > 0 ? [path.join(' › ')] : [];
  if (chunk.page) parts.push(pageLabel(doc.pageUnit, chunk.page));
  return parts.join(' · ');
}
