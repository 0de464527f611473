/**
 * Text from documents and the file system (titles, paths, snippets, names,
 * error messages that quote them) goes through here before the CLI prints
 * it. A file name or a document can carry terminal control sequences: ESC
 * and CSI/OSC sequences that set the window title, clear the screen, write a
 * hidden hyperlink or fake a line of output, and bidirectional overrides
 * that display text in another order than it is stored. Printed raw, they
 * act on the terminal; here they are made visible instead.
 */

/**
 * C0 controls (tab and newline included: in one-line output a newline forges
 * a line), DEL, C1 controls (0x9b is CSI on its own), the bidirectional
 * marks, embeddings, overrides and isolates, and the line and paragraph
 * separators that some terminals break lines on.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same, minus what JSON.stringify already escapes (the C0 controls). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (char: string, width: number): string => char.charCodeAt(0).toString(16).padStart(width, '0');

/**
 * `text` with every control or bidi character written as an escape a person
 * can read: `\x1b` for ESC, `\x9b` for CSI, `\u202e` for RIGHT-TO-LEFT
 * OVERRIDE. Everything else, non-Latin scripts and emoji included, is kept.
 * Use it on data, never on text that carries Trove's own formatting.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char) => (char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`));
}

/**
 * `terminalSafe` for a message of several lines (an error with its stack, a
 * usage error that quotes an argument): each line is made safe, the line
 * breaks are kept.
 */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/**
 * JSON for stdout that parses back to exactly `value` but never carries a
 * raw control or bidi character: JSON.stringify escapes the C0 controls, and
 * the rest are written as `\u` escapes too, in case the JSON lands on a
 * terminal.
 */
export function terminalSafeJson(value: unknown, space?: number): string {
  return terminalSafeJsonText(JSON.stringify(value, null, space) ?? 'null');
}

/**
 * `terminalSafeJson` for text that is JSON already (a log line). Such a
 * character can only stand inside a JSON string, where its `\u` escape
 * means the same.
 */
export function terminalSafeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${hex(char, 4)}`);
}
