/**
 * Dot leaders: the dots a printed table of contents or index runs from an
 * entry to its page number ("2.3 Simple parsing . . . . . 4"). PDF text
 * extraction gives them as dots, spaced or not, or as their look-alikes:
 * ellipses and middle dots.
 */
const LEADER = String.raw`(?:(?:\.[^\S\n]?){4,}|(?:\u2026[^\S\n]?){2,}|(?:\u00b7[^\S\n]?){4,})`;
const PAGE = String.raw`(?:\d{1,5}|[ivxlcdm]{1,7})`;

const HAS_LEADER = new RegExp(LEADER);
/** A line that ends in a leader and a page number, arabic or roman ("Preface........ix"). */
const PAGE_REFERENCE_LINE = new RegExp(String.raw`${LEADER}[^\S\n]*${PAGE}[^\S\n]*$`, 'i');
/** A leader with the spaces around it, before its page number. */
const LEADER_BEFORE_PAGE = new RegExp(String.raw`[^\S\n]*${LEADER}[^\S\n]*(?=${PAGE}\b)`, 'gi');

/**
 * An entry's line is short. Past this the patterns above are not tried: an
 * unanchored leader pattern costs the square of a line's length on a line of
 * thousands of dots without a page number.
 */
const MAX_ENTRY_LINE = 400;

export const hasDotLeader = (text: string): boolean => HAS_LEADER.test(text);

/** Whether a line is an entry of a printed contents or index (a line of a two-column index holds two and still ends so). */
export const endsInPageReference = (line: string): boolean =>
  line.length <= MAX_ENTRY_LINE && PAGE_REFERENCE_LINE.test(line);

/** A line with each leader before a page number shown as one ellipsis ("Naming … 3"). */
export const withLeadersShortened = (line: string): string =>
  line.length <= MAX_ENTRY_LINE ? line.replace(LEADER_BEFORE_PAGE, ' \u2026 ') : line;
