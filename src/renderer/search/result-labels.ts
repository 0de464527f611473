import type { SearchGroup } from '../../shared/contract';
import { CONNECTOR_TYPE_LABEL, formatRelative } from '../ui/format';

type ResultDocument = SearchGroup['document'];
type ResultChunk = SearchGroup['chunks'][number];

/**
 * Where a result comes from, said once: "Notion · Team wiki", but only
 * "Imported files" when the source's name is its kind's name, then the file
 * name when the title came from inside the file, then when it changed.
 */
export function sourceLine(doc: ResultDocument): string {
  const kind = CONNECTOR_TYPE_LABEL[doc.connectorType] ?? doc.connectorType;
  const parts = [
    doc.connectorName.trim().toLowerCase() === kind.toLowerCase() ? kind : `${kind} · ${doc.connectorName}`,
  ];
  if (doc.fileName) parts.push(doc.fileName);
  if (doc.sourceModifiedAt) parts.push(formatRelative(doc.sourceModifiedAt));
  return parts.join(' · ');
}

/** "page 3", or "slide 3" for presentations. */
export function pageLabel(doc: ResultDocument, page: number): string {
  return `${doc.pageUnit === 'slide' ? 'slide' : 'page'} ${page}`;
}

/**
 * Where in the document a chunk sits: its heading path without a first
 * heading that repeats the title (shown just above), and its page.
 */
export function chunkLocation(doc: ResultDocument, chunk: Pick<ResultChunk, 'headingPath' | 'page'>): string {
  const path =
    chunk.headingPath[0]?.trim().toLowerCase() === doc.title.trim().toLowerCase()
      ? chunk.headingPath.slice(1)
      : chunk.headingPath;
  const parts = path.length > 0 ? [path.join(' › ')] : [];
  if (chunk.page) parts.push(pageLabel(doc, chunk.page));
  return parts.join(' · ');
}
