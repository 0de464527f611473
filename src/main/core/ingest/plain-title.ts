import { isFieldLine, isTimestamped, markedHeadingAt, underlinedHeadingAt } from './chunking/plain-headings';
import { usableTitle } from './document-title';
import { manPageHeader } from './man-page-furniture';
import { DATE_WORDS, headsNewestRelease } from './release-headings';

/**
 * The title plain text gives itself, by the conventions people and tools
 * follow when there is no markup to declare one:
 *
 * - a rendered manual page ("SEQ(1)   User Commands   SEQ(1)"): the
 *   one-line summary of its NAME section ("seq - print a sequence of
 *   numbers"), which says what the page is about better than its name;
 * - an underlined (or over- and underlined) title at the very top, as
 *   reStructuredText and setext write it (unless it names the newest of a
 *   changelog's releases), or one marked "= Title" (AsciiDoc) or "# Title";
 * - the first line when a blank line follows it, as note apps do (a note's
 *   first line is its title), if it reads like a title: a few words, not a
 *   sentence (":", ",", a full stop), not a date stamp, a log line, a path,
 *   a field ("Format: ...") or a copyright notice.
 *
 * A block of header fields opening the text (a message saved as text:
 * "Date:", "From:", "Subject:") is skipped to find these, and its subject is
 * the title when the text under it gives none.
 *
 * Otherwise nothing: the file name stays the title. Everything goes through
 * `usableTitle`, like every other title Trove takes from inside a document.
 */
export function plainTextTitle(text: string): string | undefined {
  const lines = text.slice(0, 8000).split('\n');
  const headers = headerBlock(lines);
  const first = firstContentLine(lines, headers?.end ?? 0);
  if (first < 0) return headers?.subject;
  if (manPageHeader(lines[first] as string) !== undefined) return usableTitle(manSummary(lines));
  const marked = markedHeadingAt(lines, first);
  if (marked?.level === 1) return usableTitle(marked.text);
  const underlined = underlinedHeadingAt(lines, first) ?? underlinedHeadingAt(lines, first + 1);
  if (underlined && underlined.first === first) {
    return headsNewestRelease(underlined.text, headingsStyledAs(lines, underlined))
      ? headers?.subject
      : usableTitle(underlined.text);
  }
  return firstLineTitle(lines, first) ?? headers?.subject;
}

/** The text of each underlined heading below `top` adorned as it is. */
function* headingsStyledAs(lines: readonly string[], top: { last: number; style: string }): Generator<string> {
  for (let i = top.last + 1; i < lines.length; i++) {
    const heading = underlinedHeadingAt(lines, i);
    if (heading?.style === top.style) yield heading.text;
  }
}

/** "Subject: Re: Odd merge", "Title: Notes": a header naming what the text is about. */
const SUBJECT_HEADER = /^(?:subject|title):[ \t]*(?:(?:re|fwd?|aw):[ \t]*)*(.+)$/i;

/**
 * A block of two or more header fields opening the text (a message saved as
 * text, a note exported with its metadata), continuation lines indented,
 * ended by a blank line: where the text proper starts, and its subject.
 */
function headerBlock(lines: readonly string[]): { end: number; subject: string | undefined } | undefined {
  let fields = 0;
  let subject: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') return fields >= 2 ? { end: i, subject } : undefined;
    // "Date: Fri, 19 Dec 2008", "From: Ann <a@b.c>": the same field lines plain-headings.ts keeps from being headings.
    if (isFieldLine(line)) {
      fields++;
      subject ??= usableTitle(SUBJECT_HEADER.exec(line)?.[1]?.trim());
    } else if (fields === 0 || !/^[ \t]/.test(line)) return undefined;
  }
  return undefined;
}

/**
 * ".. _target:", ".. highlight:: c", ".. a comment": reStructuredText's explicit markup, which a page may open
 * with; so may Sphinx's file-wide metadata, a field list (":orphan:", ":tocdepth: 2").
 */
const EXPLICIT_MARKUP = /^(?:\.\.(?:\s|$)|:[\w-]+:(?:\s|$))/;

/**
 * The first line that is neither blank nor explicit markup (with the
 * indented lines that continue it): Sphinx sources put a link target or a
 * directive above the title, and neither is what the text is about.
 */
function firstContentLine(lines: readonly string[], from: number): number {
  let inMarkup = false;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    if (EXPLICIT_MARKUP.test(line)) inMarkup = true;
    else if (!(inMarkup && /^\s/.test(line))) return i;
  }
  return -1;
}

const NAME_SECTION = /^(NAME|Name)\s*$/;
const MAX_FIRST_LINE_CHARS = 120;
/** "seq - print a sequence of numbers": a name, a dash, what it does. */
const ENTRY = /\S\s[-\u2010\u2013\u2014]\s\S/;

/** The NAME section's text up to the next blank line, whitespace collapsed. */
function manSummary(lines: readonly string[]): string | undefined {
  const start = lines.findIndex((line) => NAME_SECTION.test(line));
  if (start < 0) return undefined;
  const summary: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      if (summary.length > 0) break;
      continue;
    }
    if (!/^\s/.test(line)) break;
    // A page for several programs gives each its own "name - summary" line.
    const entry = ENTRY.test(line) && summary.some((part) => ENTRY.test(part));
    summary.push(`${entry ? ';' : ''} ${line.trim()}`);
  }
  return (
    summary
      .join('')
      .replace(/\s+/g, ' ')
      .replace(/^ ?; ?|^ /, '') || undefined
  );
}

/** A log line's level first ("ERROR: ...", "[warn] ..."); a timestamp first is `isTimestamped`. */
const LOG_LEVEL = /^\[?(trace|debug|info|warn|warning|error|fatal|critical)\b[\]:]?/i;
/** A URL or a path, with or without a drive or a leading slash ("src/main/index.ts", "https://..."). */
const LOCATION = /^[a-z][\w+.-]*:\/\/|^[\w.-]+(\/[\w.-]+)+\/?$/i;
/**
 * The head of a changelog's newest entry ("openssh (1:9.2p1-1) unstable;
 * urgency=medium", as every Debian package's changelog.Debian and NEWS.Debian
 * open): a version of the package, not what the whole file is about.
 */
const CHANGELOG_ENTRY = /^[a-z0-9][a-z0-9.+~-]*\s+\([^()\s]+\)\s+[^;]*;\s*urgency=/i;
/** "Copyright (c) 2010 ...", "© 2024 ...": a notice, not what the text is about. */
const NOTICE = /^(copyright\b|\(c\)|©)/i;
/** Markup or code rather than words: "<!DOCTYPE html>", "{", "#!/bin/sh", "// comment", "| a | b |". */
const NOT_PROSE = /^(<|\{|\[|\||#!|\/\/|\/\*|\*|=|>)/;

/** The first non-blank line as a note's title, or undefined when it does not read like one. */
function firstLineTitle(lines: readonly string[], first: number): string | undefined {
  const line = (lines[first] as string).trim();
  const next = lines[first + 1];
  if (next === undefined || next.trim() !== '') return undefined;
  if (line.length > MAX_FIRST_LINE_CHARS || /[:,;]$/.test(line) || NOT_PROSE.test(line)) return undefined;
  // A full stop straight after a word ends a sentence: an opening paragraph of one line, not a title.
  // (A lone " ." after the last word is a typist's habit some collections keep, and is dropped below.)
  if (/\S\.$/.test(line)) return undefined;
  if (isTimestamped(line) || LOG_LEVEL.test(line)) return undefined;
  if (LOCATION.test(line) || NOTICE.test(line) || CHANGELOG_ENTRY.test(line)) return undefined;
  if (isFieldLine(line)) return undefined;
  const words = line.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  if (words.length < 2) return undefined;
  // Nothing but date words, numbers and punctuation: a date stamp spelled out.
  if (!/\p{L}{2}/u.test(line.replace(DATE_WORDS, ''))) return undefined;
  return usableTitle(line.replace(/^#{1,6}\s+/, '').replace(/\s+\.$/, ''));
}
