import { parseContent } from '../../../src/main/core/ingest';
import type { ParsedDocument } from '../../../src/main/core/ingest/types';

/** Parses `text` as the bytes of a file named `fileName`, as a local folder hands it over. */
export function parseFile(
  text: string,
  fileName: string,
  mimeType = 'application/octet-stream',
): Promise<ParsedDocument> {
  return parseContent({ kind: 'bytes', bytes: new TextEncoder().encode(text), mimeType, fileName });
}
