/** Month names as dates spell them, in full or cut short ("Sep", "Sept", "September"): a pattern's source. */
export const MONTH_NAMES =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
/** Weekday names, in full or cut short: a pattern's source. */
export const WEEKDAY_NAMES =
  'mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?';

/** Month and weekday names, which a date stamp may spell out ("Monday, 3 March 2025"). */
export const DATE_WORDS = new RegExp(`\\b(?:${MONTH_NAMES}|${WEEKDAY_NAMES}|am|pm|utc|gmt)\\b`, 'gi');

/**
 * Whether a document's top heading names one release among several: it has
 * a number, and a later heading of the same rank says the same with other
 * numbers and dates ("Version v2.39.5; changes since v2.39.4:" over
 * "Version v2.39.4; changes since v2.39.3:", as Git's changelog runs for 825
 * releases; "dbus 1.14.10 (2023-09-01)" over "dbus 1.14.8 (2023-06-06)").
 * Such a heading heads the newest entry of a changelog or a NEWS file, not
 * the file, so it is no title for it.
 */
export function headsNewestRelease(top: string, laterHeadings: Iterable<string>): boolean {
  if (!/\d/.test(top)) return false;
  const shape = versionless(top);
  for (const heading of laterHeadings) if (versionless(heading) === shape) return true;
  return false;
}

/** A heading with its numbers, versions and date words blanked out. */
function versionless(text: string): string {
  return text
    .trim()
    .replace(/[\w.+~-]*\d[\w.+~-]*/g, '#')
    .replace(DATE_WORDS, '#')
    .toLowerCase();
}
