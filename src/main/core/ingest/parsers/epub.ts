import { posix } from 'node:path';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../limits';
import { ParseFailure } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { htmlToMarkdown } from './html';
import { MarkdownWriter } from './markdown-writer';
import { optionalPart, resolvePart, ZipPackage } from './zip-package';

const WHAT = 'EPUB e-book';

interface ManifestItem {
  href: string;
  mediaType: string;
  properties: string;
}

/**
 * EPUB (2 and 3): the chapters in spine order, each converted from XHTML to
 * Markdown like any web page and headed by its entry in the table of
 * contents (nav document or NCX), with the chapter's own headings one level
 * below. The book's title (`dc:title`) is the document title, its authors
 * (`dc:creator`) go to metadata. A book whose chapters are encrypted (DRM)
 * is skipped with that reason.
 */
export function parseEpub(
  bytes: Uint8Array,
  limits: Pick<ParseLimits, 'zip' | 'document'> = DEFAULT_PARSE_LIMITS,
): ParsedDocument {
  const pkg = ZipPackage.open(bytes, WHAT, limits);
  const opfPath = rootFile(pkg);
  const manifest = new Map<string, ManifestItem>();
  const spine: string[] = [];
  let ncxId: string | undefined;
  pkg.xml(opfPath, {
    open: ({ name, attributes }) => {
      if (name === 'opf:item' && attributes.id && attributes.href) {
        manifest.set(attributes.id, {
          href: resolvePart(opfPath, attributes.href),
          mediaType: attributes['media-type'] ?? '',
          properties: attributes.properties ?? '',
        });
      } else if (name === 'opf:spine') {
        ncxId = attributes.toc;
      } else if (name === 'opf:itemref' && attributes.idref) {
        spine.push(attributes.idref);
      }
    },
  });
  const chapters = spine.map((id) => manifest.get(id)?.href).filter((href): href is string => !!href && pkg.has(href));
  if (chapters.length === 0) throw pkg.missing('chapters (its spine lists none that the file contains)');
  refuseDrm(pkg, chapters);

  // The table of contents only labels the chapters: a damaged one costs the labels, not the book.
  const labels = optionalPart(() => tableOfContents(pkg, manifest, ncxId)) ?? new Map<string, string>();
  const out = new MarkdownWriter(WHAT, limits.document.maxTextChars);
  for (const chapter of chapters) {
    const markdown = htmlToMarkdown(pkg.text(chapter));
    const label = labels.get(chapter);
    const firstHeading = /^#{1,6}\s+(.+)$/m.exec(markdown)?.[1]?.trim();
    if (label && firstHeading?.toLowerCase() !== label.toLowerCase()) {
      out.heading(1, label);
      out.markdown(demoteHeadings(markdown));
    } else {
      out.markdown(markdown);
    }
  }
  const title = pkg.texts(opfPath, 'dc:title')[0];
  const authors = pkg.texts(opfPath, 'dc:creator');
  const parsed: ParsedDocument = { ...out.result(), ...(title ? { title } : {}) };
  return authors.length > 0 ? { ...parsed, metadata: { author: authors.join(', '), authors } } : parsed;
}

/** The package document's path, from META-INF/container.xml. */
function rootFile(pkg: ZipPackage): string {
  const container = 'META-INF/container.xml';
  if (!pkg.has(container)) throw pkg.missing('container (META-INF/container.xml)');
  let path: string | undefined;
  pkg.xml(container, {
    open: ({ name, attributes }) => {
      if (name === 'container:rootfile' && !path) path = attributes['full-path'];
    },
  });
  if (!path || !pkg.has(path)) throw pkg.missing('package document (the .opf its container names)');
  return path;
}

/** Chapter labels by chapter path: from the EPUB 3 nav document, else the EPUB 2 NCX. The first label of a file wins. */
function tableOfContents(
  pkg: ZipPackage,
  manifest: Map<string, ManifestItem>,
  ncxId: string | undefined,
): Map<string, string> {
  const labels = new Map<string, string>();
  const add = (fromPart: string, href: string | undefined, label: string): void => {
    const text = label.replace(/\s+/g, ' ').trim();
    if (!href || text === '') return;
    const target = resolvePart(fromPart, href);
    if (!labels.has(target)) labels.set(target, text);
  };
  const nav = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes('nav'));
  if (nav && pkg.has(nav.href)) {
    let inToc = 0;
    let href: string | undefined;
    let label: string | undefined;
    pkg.xml(nav.href, {
      open: ({ name, attributes }) => {
        if (name === 'xhtml:nav') inToc += inToc > 0 || attributes['epub:type']?.includes('toc') ? 1 : 0;
        else if (inToc > 0 && name === 'xhtml:a') {
          href = attributes.href;
          label = '';
        }
      },
      close: (name) => {
        if (name === 'xhtml:nav' && inToc > 0) inToc--;
        else if (name === 'xhtml:a' && label !== undefined) {
          add(nav.href, href, label);
          label = undefined;
        }
      },
      text: (text) => {
        if (label !== undefined) label += text;
      },
    });
  }
  const ncx = ncxId
    ? manifest.get(ncxId)
    : [...manifest.values()].find((i) => i.mediaType === 'application/x-dtbncx+xml');
  if (labels.size === 0 && ncx && pkg.has(ncx.href)) {
    let label = '';
    let inText = false;
    pkg.xml(ncx.href, {
      open: ({ name, attributes }) => {
        if (name === 'ncx:navLabel') label = '';
        else if (name === 'ncx:text') inText = true;
        else if (name === 'ncx:content') add(ncx.href, attributes.src, label);
      },
      close: (name) => {
        if (name === 'ncx:text') inText = false;
      },
      text: (text) => {
        if (inText) label += text;
      },
    });
  }
  return labels;
}

/** Chapters listed as encrypted in META-INF/encryption.xml mean DRM (fonts alone are only obfuscated, which is harmless). */
function refuseDrm(pkg: ZipPackage, chapters: string[]): void {
  const encryption = 'META-INF/encryption.xml';
  if (!pkg.has(encryption)) return;
  const encrypted = new Set<string>();
  pkg.xml(encryption, {
    open: ({ name, attributes }) => {
      if (posix.basename(name.replace(':', '/')) === 'CipherReference' && attributes.URI) {
        encrypted.add(resolvePart('', attributes.URI));
      }
    },
  });
  if (chapters.some((chapter) => encrypted.has(chapter))) {
    throw new ParseFailure(
      'unsupported_type',
      'This e-book is protected by DRM (its chapters are encrypted), so Trove cannot read it. Index a DRM-free copy instead.',
    );
  }
}

/** Moves every Markdown heading one level down (outside code fences), so a chapter's headings sit under its label. */
function demoteHeadings(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^(```|~~~)/.test(line)) inFence = !inFence;
      return !inFence && /^#{1,5}\s/.test(line) ? `#${line}` : line;
    })
    .join('\n');
}
