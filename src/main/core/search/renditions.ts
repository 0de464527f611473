import { GZIP_MIME_TYPE, mimeTypeForPath } from '../connectors/fs/mime';
import { extensionOf, innerFileName, isDocumentExtension } from '../ingest/file-types';
import { containment, resemblance } from '../ingest/text-sketch';

/**
 * The same document in two formats: a Sphinx page's source beside its HTML
 * (`_sources/library/json.rst.txt` and `library/json.html`), a report kept
 * as `.docx` and exported to `.pdf`, notes written in Markdown and saved as
 * HTML. Rendering changes the words around the text (directive lines,
 * generated numbering and tables of contents, page headers), so their
 * five-word shingles agree far less than copies' do: on the Python 3.11
 * documentation the 496 source/page pairs resemble at 0.56 (median; a
 * quarter below 0.45), while its 233 pairs of unrelated pages that share a
 * name (`library/index.html`, `c-api/index.html`) reach 0.17 at most. So
 * two results are one document shown twice when their names are the same
 * once document extensions are taken off, their formats differ, and their
 * texts resemble at `RENDITION_RESEMBLANCE` or one is nearly all inside the
 * other. Two versions in one format (`plan.md` and `backup/plan.md`, edited
 * since) are not renditions: they fold only as near copies (near-duplicates.ts).
 */
export const RENDITION_RESEMBLANCE = 0.35;
/**
 * Or: the smaller text is this much inside the larger (text-sketch.ts
 * `containment`), judged on at least `RENDITION_SAMPLES` of its hashes. A
 * source whose page brings most of its text in through includes (Git's
 * `git-merge.txt` beside `git-merge.html`, several times larger) resembles
 * it at 0.28 but is all inside it; unrelated pages of one name on those two
 * libraries share almost none of their sampled hashes. With 6 samples, a text less
 * than a third inside another passes by chance about once in a hundred.
 */
export const RENDITION_CONTAINMENT = 0.8;
export const RENDITION_SAMPLES = 6;

/** What a rendition check needs of a document. */
export interface RenditionFacts {
  /** The document's name: a file name, or a page's title at its provider. */
  name: string;
  mimeType: string | null;
  sketch: Uint32Array;
}

/** A name without its document extensions, lower case: `json.rst.txt` -> `json`, `2.6.html` -> `2.6`. */
export function renditionName(name: string): string {
  let stem = name.trim().toLowerCase();
  for (let ext = extensionOf(stem); ext !== '' && isDocumentExtension(ext); ext = extensionOf(stem)) {
    stem = stem.slice(0, -(ext.length + 1));
  }
  return stem;
}

/** Whether `a` and `b` are the same document in two formats (see the module comment). */
export function areRenditions(a: RenditionFacts, b: RenditionFacts): boolean {
  if (formatOf(a) === formatOf(b) || renditionName(a.name) !== renditionName(b.name)) return false;
  if (resemblance(a.sketch, b.sketch, RENDITION_RESEMBLANCE) >= RENDITION_RESEMBLANCE) return true;
  const inside = containment(a.sketch, b.sketch);
  return inside.samples >= RENDITION_SAMPLES && inside.share >= RENDITION_CONTAINMENT;
}

/**
 * A document in plain text, which beside a rendition in another format is
 * its source: Sphinx's `_sources/json.rst.txt` for `json.html`, Git's
 * AsciiDoc `git-log.txt` for `git-log.html`. People read, print and link
 * the rendered page, so a folded result shows and opens that one.
 */
export function isPlainSource(doc: RenditionFacts): boolean {
  return doc.mimeType === 'text/plain';
}

/**
 * The media type, else the extensions a name carries (`rst.txt`). A
 * compressed file has the format of the file it holds: `README.gz` beside
 * another package's `README` is no rendition of it.
 */
function formatOf(doc: RenditionFacts): string {
  const name = doc.name.trim().toLowerCase();
  if (doc.mimeType === GZIP_MIME_TYPE) return mimeTypeForPath(innerFileName(name));
  return doc.mimeType ?? name.slice(renditionName(name).length);
}
