/**
 * Stable references to what the index holds, for assistants to cite and to
 * hand back: `trove:<documentId>#<chunkIndex>` names one passage (a chunk, by
 * its position in the document, which survives re-indexing unchanged text),
 * `trove:<documentId>` a whole document, `trove://document/<documentId>` the
 * document as an MCP resource. Only ever looked up in the database: a
 * reference is never a path.
 */
const CITATION_PREFIX = 'trove:';
const RESOURCE_PREFIX = 'trove://document/';

export const citationId = (documentId: string, chunkIndex: number): string =>
  `${CITATION_PREFIX}${documentId}#${chunkIndex}`;

export const documentUri = (documentId: string): string => `${RESOURCE_PREFIX}${encodeURIComponent(documentId)}`;

export interface Reference {
  documentId: string;
  /** Set when the reference names one passage. */
  chunkIndex: number | null;
}

/** The document id of a `trove://document/<id>` URI, or null for any other URI. */
export function parseDocumentUri(uri: string): string | null {
  if (!uri.startsWith(RESOURCE_PREFIX)) return null;
  try {
    const id = decodeURIComponent(uri.slice(RESOURCE_PREFIX.length));
    return id.length > 0 ? id : null;
  } catch {
    return null; // malformed percent-encoding
  }
}

/** A citation id, a resource URI or a bare document id. Whether it exists is for the caller to check. */
export function parseReference(text: string): Reference {
  const fromUri = parseDocumentUri(text);
  if (fromUri !== null) return { documentId: fromUri, chunkIndex: null };
  if (!text.startsWith(CITATION_PREFIX) || text.startsWith('trove://')) return { documentId: text, chunkIndex: null };
  const body = text.slice(CITATION_PREFIX.length);
  const passage = /^(.+)#(\d{1,9})$/.exec(body);
  return passage ? { documentId: passage[1]!, chunkIndex: Number(passage[2]) } : { documentId: body, chunkIndex: null };
}
