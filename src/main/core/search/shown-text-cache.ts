import type { MarkupDialect } from './markup-dialect';
import { RecentlyUsed } from './recently-used';
import { displayText } from './snippet-text';

/**
 * displayText for the chunks a search shows, remembered for the chunks shown
 * most recently. Typing a query searches at every pause, and the pages of
 * "decimal", "decimal r" and "decimal ro" share most of their chunks, whose
 * markup would otherwise be stripped again each time (a quarter of a keyword
 * search's time on Python's HTML documentation: 0.27 ms a chunk of 930
 * characters). Keyed by the text itself, so a chunk whose text changed is
 * never shown as it was.
 */
export function shownText(raw: string, dialect?: MarkupDialect): string {
  if (raw.length > MAX_CACHED_CHARS) return displayText(raw, dialect);
  // The dialect changes how a text is shown.
  const scope = dialect ?? '';
  const known = remembered.get(scope, raw);
  if (known !== undefined) return known;
  const shown = displayText(raw, dialect);
  remembered.set(scope, raw, shown);
  return shown;
}

/**
 * Chunks remembered: a few pages of results and the previews opened from
 * them. Chunks run to about 2,000 characters, so this holds about 4 MB, and
 * never more than 16 MB (MAX_CACHED_CHARS).
 */
export const SHOWN_TEXT_CACHE_ENTRIES = 500;
/** Longer texts are not remembered (whole documents, not chunks). */
const MAX_CACHED_CHARS = 8_000;

const remembered = new RecentlyUsed<string>(SHOWN_TEXT_CACHE_ENTRIES);
