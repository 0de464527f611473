import type { DetectedType } from './file-types';

/**
 * The version of what Trove reads out of a file (parsers/), stored with each
 * document's text as `metadata.parse.version`. Bump it when the same file
 * would now give other text or other facts about it (title, headings, page
 * offsets), and list the readers it changed in READERS_CHANGED: at their next
 * sync, documents those readers made under an earlier version are read
 * again (store/documents.repo.ts), and stay searchable while that happens
 * when their text comes out the same. Local folders and imports get that sync
 * at the first start after an update (services/reread-upgrade.ts).
 *
 * 1 (or none stored): before versions were kept.
 * 2: Markdown titles underlined with === or written as <h1>, headings without
 *    badges; PDF headings from type sizes; HTML pages that only forward the
 *    browser elsewhere are skipped.
 * 3: HTML pages read as their <main> or lone <article>, without hidden text,
 *    menus, dialogs, short buttons or links that have nothing to read;
 *    in-page links (a heading's permalink, a Word table of contents) read as
 *    text; a page's title without its site's name when its first heading
 *    names it; minified scripts and style sheets skipped.
 * 4: HTML `<pre>` without `<code>` (GNU manuals, man2html) read as code, and
 *    manuals' bars of Next / Previous / Up links dropped; Word paragraphs and
 *    runs in a code style or a monospaced font read as code; an ODT without
 *    a title property titled by its first heading; RTF headings (outline
 *    levels, heading styles) declared and table cells kept apart;
 *    reStructuredText roles read as their text in titles; PowerPoint lines
 *    and OpenDocument text in a monospaced font or a code style read as code.
 * 5: plain text titled by its underlined title when reStructuredText link
 *    targets, directives or comments stand above it (Sphinx sources), never
 *    by such a line; by "= Title" (AsciiDoc); under a block of header fields
 *    (a message saved as text) by the title below it, else its Subject;
 *    wiki links (`[[Page]]`) and AsciiDoc links in titles read as their text; `:pep:`8`` and `:rfc:` roles in titles read "PEP 8";
 *    HTML table cells written as Markdown like the rest of the page (links
 *    and code kept, list items and paragraphs apart, not glued together).
 * 6: package managers' lock files (package-lock.json, Cargo.lock, go.sum...)
 *    skipped as written by a tool (file-types.ts LOCK_FILES).
 * 7: PDF words broken at a line end with a plain hyphen ("en-\ncoding", as
 *    TeX typesets) joined where the document shows they are one word
 *    (line-end-hyphens.ts).
 * 8: a changelog's or NEWS file's newest release ("2.0.8", "Version v2.39.5;
 *    changes since v2.39.4:") no longer taken for the title of the whole
 *    file, in Markdown and plain text (release-headings.ts).
 * 9: a PDF without a usable Title property whose first page is a cover
 *    (title, subtitle, author and no body text) titled by its largest line,
 *    measured against the body text of the whole document.
 * 10: source code in forty more languages and formats read as code, not as
 *    prose (Perl modules `.pm`, Julia, OCaml, F#, Fortran, assembly, CMake,
 *    batch files, Lisp and Scheme, Nix, CUDA, Solidity, diffs and patches,
 *    `.conf` and `.cfg` files...), and build files by their whole name before
 *    their extension (`CMakeLists.txt`, `Vagrantfile`, `Jenkinsfile`);
 *    Markdown titled by Hugo's TOML front matter (`+++`, `title = "..."`);
 *    Org mode files read as the outlines they are (parsers/org.ts), and
 *    Jupyter notebooks as their cells, not their JSON (parsers/notebook.ts),
 *    LaTeX sources as the papers they typeset (parsers/latex.ts), and Perl's
 *    POD documentation as its manual pages (parsers/pod.ts).
 * 11: a Markdown or Org title the author wrote that reads like a file's name
 *    ("# package.json") is kept, not taken for a tool's leftover; the reader
 *    of each document is stored with its text (`parse.reader`).
 * 12: text that is not UTF-8 decoded in the encoding an HTML page declares
 *    or its bytes show (GBK, Shift_JIS, Windows-1251...: legacy-encoding.ts),
 *    not always as Windows-1252, whose curly quotes, dashes and euro sign
 *    (0x80-0x9F) are now read as those characters rather than dropped; RTF
 *    code pages of East Asian Word documents (932, 936, 949, 950) decoded;
 *    HTML elements with names no DOM can hold (a raw `<joe@example.com>`)
 *    read as their content instead of failing the page; an HTML table
 *    (or a Word one) holding tables read as the blocks of a layout, the
 *    tables inside as tables, not as one table with escaped pipes.
 *    A CSV read by the delimiter it uses (semicolons, as Excel writes them
 *    where the comma is the decimal point), not always by commas.
 * 13: a short text that is not UTF-8 (fewer than 32 bytes above ASCII)
 *    whose words are made only of such bytes read in the script they show
 *    (a Russian note in Windows-1251 or KOI8-R, Greek, Hebrew), not as
 *    Windows-1252 ("Ïðèâåò"); among other scripts, only an encoding that
 *    reads those bytes as letters is taken (legacy-encoding.ts).
 * 14: a manual page rendered to text without its running header and footer
 *    ("LS(1)   User Commands   LS(1)"), at every page break too
 *    (man-page-furniture.ts); one whose header has an empty section or runs
 *    into its repeat titled by its NAME line like the others; a Sphinx
 *    source opening with file-wide metadata (":orphan:") titled by its title.
 */
export const EXTRACTION_VERSION = 14;

/** A reader: the detected type a file is read as (ingest/file-types.ts). */
type Reader = DetectedType['kind'];

/**
 * The readers each version from 11 on changed, or 'all'. A document whose
 * text names the reader that made it is read again only when a later
 * version changed that reader: an update that fixes Markdown titles does
 * not re-read every PDF of the library (thousands of seconds of parsing on
 * a large one). A document without a reader (read by version 10 or
 * earlier) is read again once at the next version.
 */
const READERS_CHANGED: Readonly<Record<number, readonly Reader[] | 'all'>> = {
  11: ['markdown', 'org'],
  12: ['markdown', 'plain', 'org', 'latex', 'pod', 'code', 'json', 'notebook', 'delimited', 'html', 'rtf', 'docx'],
  13: ['markdown', 'plain', 'org', 'latex', 'pod', 'code', 'json', 'notebook', 'delimited', 'html'],
  14: ['plain'],
};

/**
 * The version of the set of formats Trove reads. A document skipped because
 * its format was not read (`unsupported_type`) stores the version that
 * skipped it as `metadata.unsupportedBy`; when a later version reads more
 * formats, such documents are read again at their next sync, and local ones
 * at the first start after the update (services/reread-upgrade.ts), as
 * EXTRACTION_VERSION does for documents that were read. Bump it when a
 * format is added.
 *
 * 0: documents skipped before versions were kept (migration 013).
 * 1: gzip-compressed files, read as the file inside.
 * 2: SVG drawings, compressed ones (`.svgz`) too, read as the text they show
 *    (parsers/svg.ts).
 */
export const FORMATS_VERSION = 2;

/** Whether a skipped document's format was unknown to an earlier version of the parsers (FORMATS_VERSION). */
export function unsupportedByEarlierVersion(metadata: Record<string, unknown>): boolean {
  const by = metadata.unsupportedBy;
  return typeof by === 'number' && by < FORMATS_VERSION;
}

/**
 * Whether an indexed document's text was read by an earlier version (or its
 * parse facts were lost, as a sync before the fix did to touched files) and
 * is to be read again; never one with OCR text merged into it (reading a scan
 * again would repeat the OCR, minutes of work, for facts a scan does not
 * have). The caller checks that the document has text.
 */
export function readByEarlierVersion(
  metadata: Record<string, unknown>,
  current = EXTRACTION_VERSION,
  changes: ReaderChanges = LAST_CHANGES,
): boolean {
  if (metadata.ocr !== undefined) return false;
  const parse = metadata.parse as { version?: unknown; reader?: unknown } | null | undefined;
  const version = parse?.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return true;
  if (version >= current) return false;
  if (typeof parse?.reader !== 'string') return true;
  return version < Math.max(changes.all, changes.byReader[parse.reader] ?? 0);
}

/** The last version that changed every reader, and each reader's last change. */
export interface ReaderChanges {
  all: number;
  byReader: Readonly<Record<string, number>>;
}

/**
 * READERS_CHANGED summed up: what readByEarlierVersion compares a
 * document's version with, and what the startup check
 * (services/reread-upgrade.ts) binds into its SQL.
 */
export const LAST_CHANGES: ReaderChanges = lastChanges();

function lastChanges(): { all: number; byReader: Record<string, number> } {
  let all = 0;
  const byReader: Record<string, number> = {};
  for (const [key, readers] of Object.entries(READERS_CHANGED)) {
    const version = Number(key);
    if (readers === 'all') all = Math.max(all, version);
    else for (const reader of readers) byReader[reader] = Math.max(byReader[reader] ?? 0, version);
  }
  return { all, byReader };
}
