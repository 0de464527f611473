import type { ParsedDocument } from '../types';
import { normaliseText } from './text';

/**
 * JSON is indexed pretty-printed, so keys and values land on their own
 * lines and chunk at line boundaries. Text that is not valid JSON (JSON
 * Lines, JSON with comments, a truncated export) is still worth indexing,
 * so it is kept as it is rather than rejected.
 */
export function parseJson(text: string): ParsedDocument {
  const normalised = normaliseText(text);
  try {
    return { text: JSON.stringify(JSON.parse(normalised), null, 2), format: 'code', language: 'json' };
  } catch {
    return { text: normalised, format: 'code', language: 'json' };
  }
}
