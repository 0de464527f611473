import mammoth from 'mammoth';
import { DEFAULT_PARSE_LIMITS, type ZipLimits } from '../limits';
import { ParseFailure, shortParserReason, unreadableAs } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { htmlToMarkdown } from './html';
import { CODE_PARAGRAPH_STYLES, CODE_RUN_STYLES, MONOSPACED_FONTS } from './fenced-code';
import { ZipPackage } from './zip-package';
import { ooxmlTitle } from './pptx';
import { firstMarkdownHeading, usableTitle } from '../document-title';

/**
 * The archive interface mammoth reads parts through. mammoth accepts it as
 * `{ file }` (lib/unzip.js) although its type declarations only list
 * `path`, `buffer` and `arrayBuffer`; handing it our ZipPackage (a BoundedZip) instead of
 * the bytes is what keeps mammoth from inflating a part past the limits.
 */
interface MammothArchive {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}
type ConvertArchive = (
  input: { file: MammothArchive },
  options?: Parameters<typeof mammoth.convertToHtml>[1],
) => ReturnType<typeof mammoth.convertToHtml>;
const convertArchiveToHtml = mammoth.convertToHtml as unknown as ConvertArchive;

/**
 * DOCX through mammoth to semantic HTML (Heading 1..6 styles become h1..h6,
 * lists and tables survive), then to Markdown like any HTML page. Parts are
 * unzipped through ZipPackage (BoundedZip), within `limits`; pictures are never unzipped.
 */
export async function parseDocx(
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_PARSE_LIMITS.zip,
): Promise<ParsedDocument> {
  let html: string;
  let declared: string | undefined;
  try {
    const pkg = ZipPackage.open(bytes, 'Word document', { zip: limits, document: DEFAULT_PARSE_LIMITS.document });
    declared = ooxmlTitle(pkg);
    const result = await convertArchiveToHtml(
      { file: mammothArchive(pkg) },
      {
        // Pictures would arrive as base64 data URIs: drop them (unread), keep alt text.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        transformDocument: (document: WordElement) => markCode(withoutDeadLinks(document)),
        styleMap: CODE_STYLE_MAP,
      },
    );
    html = result.value;
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    throw unreadableAs('Word document', shortParserReason(error), error);
  }
  const text = htmlToMarkdown(html);
  // The title set in the file's properties, unless it is junk; else the first heading.
  const title = usableTitle(declared) ?? firstMarkdownHeading(text, true);
  return title ? { text, format: 'markdown', title } : { text, format: 'markdown' };
}

/**
 * Code in a Word document is a matter of style, which mammoth does not map
 * by default: its lines came out as prose, escaped and reflowed, and never
 * as code for the chunker or the snippets. A paragraph is code when its
 * style says so (pandoc's "Source Code", Word's "HTML Preformatted" and
 * "Plain Text", the "Code" styles people make) or every run of it is set in
 * a monospaced font; a run is code by its character style ("Verbatim Char",
 * "HTML Code") or its font. Both are renamed to one style of ours, which
 * CODE_STYLE_MAP turns into `<pre>` (consecutive lines joined) and `<code>`.
 */
const CODE_PARAGRAPH = 'Trove Code';
const CODE_RUN = 'Trove Code Char';
const CODE_STYLE_MAP = [
  `p[style-name='${CODE_PARAGRAPH}'] => pre:separator('\n')`,
  `r[style-name='${CODE_RUN}'] => code`,
];

/** The parts of mammoth's document model that markCode and withoutDeadLinks read. */
interface WordElement {
  type: string;
  styleName?: string | null;
  font?: string | null;
  href?: string;
  anchor?: string;
  children?: WordElement[];
}

/**
 * A link whose target is not in the document's relationships (they were cut
 * off with the end of the file, or a tool dropped them) reads as its text:
 * mammoth would write it with an undefined address and throw.
 */
function withoutDeadLinks(element: WordElement): WordElement {
  if (!element.children) return element;
  const dead = (child: WordElement): boolean => child.type === 'hyperlink' && !child.href && !child.anchor;
  const children = element.children.flatMap((child) => (dead(child) ? (child.children ?? []) : [child]));
  return { ...element, children: children.map(withoutDeadLinks) };
}

const isMonospaced = (run: WordElement): boolean => MONOSPACED_FONTS.test(run.font?.trim() ?? '');

function markCode(element: WordElement): WordElement {
  if (element.type === 'paragraph') {
    const runs = runsOf(element);
    const style = element.styleName ?? '';
    const isCode =
      CODE_PARAGRAPH_STYLES.test(style) ||
      (!/heading|title/i.test(style) && runs.length > 0 && runs.every(isMonospaced));
    // Its runs lose their styles: a pandoc code block's are syntax colours, and none is code within code.
    if (isCode) return { ...element, styleName: CODE_PARAGRAPH, children: element.children?.map(withoutRunStyles) };
  }
  if (element.type === 'run' && (CODE_RUN_STYLES.test(element.styleName ?? '') || isMonospaced(element))) {
    return { ...element, styleName: CODE_RUN };
  }
  return element.children ? { ...element, children: element.children.map(markCode) } : element;
}

function runsOf(element: WordElement): WordElement[] {
  return (element.children ?? []).flatMap((child) => (child.type === 'run' ? [child] : runsOf(child)));
}

function withoutRunStyles(element: WordElement): WordElement {
  const children = element.children?.map(withoutRunStyles);
  return element.type === 'run' ? { ...element, styleName: null, children } : { ...element, children };
}

/**
 * An empty style sheet, read in place of a missing one: mammoth's default for
 * a document without `styles.xml` has no table styles, and it throws on the
 * first table that names one (a Word document cut short before its styles).
 */
const NO_STYLES = Buffer.from(
  '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
  'utf8',
);
const STYLES_PART = /(?:^|\/)styles\.xml$/;

function mammothArchive(zip: ZipPackage): MammothArchive {
  return {
    exists: (name) => zip.has(name) || STYLES_PART.test(name),
    read: async (name, encoding) => {
      const bytes = zip.has(name) || !STYLES_PART.test(name) ? zip.read(name) : NO_STYLES;
      if (encoding === 'base64') return bytes.toString('base64');
      return encoding ? new TextDecoder(encoding).decode(bytes) : new Uint8Array(bytes);
    },
  };
}
