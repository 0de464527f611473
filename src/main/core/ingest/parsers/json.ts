import { DEFAULT_PARSE_LIMITS, type JsonLimits } from '../limits';
import { ParseFailure } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { normaliseText } from './text';

/**
 * JSON is indexed pretty-printed, so keys and values land on their own
 * lines and chunk at line boundaries. Text that is not valid JSON (JSON
 * Lines, JSON with comments, a truncated export) is still worth indexing,
 * so it is kept as it is rather than rejected. JSON nested deeper than
 * `limits.maxDepth` is refused before it is parsed: pretty-printing recurses
 * once per level, and millions of nested arrays would fill the heap.
 */
export function parseJson(text: string, limits: JsonLimits = DEFAULT_PARSE_LIMITS.json): ParsedDocument {
  const normalised = normaliseText(text);
  if (nestsDeeperThan(normalised, limits.maxDepth)) {
    const levels = limits.maxDepth.toLocaleString('en');
    throw new ParseFailure(
      'exceeds_limits',
      `This JSON file is nested more than ${levels} levels deep; Trove reads JSON up to ${levels} levels, so it was not indexed.`,
    );
  }
  try {
    return { text: JSON.stringify(JSON.parse(normalised), null, 2), format: 'code', language: 'json' };
  } catch {
    return { text: normalised, format: 'code', language: 'json' };
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** True when brackets outside strings nest deeper than `maxDepth`. One pass, no allocation. */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}
