import { GZIP_MIME_TYPE, MIME_TYPE_BY_EXTENSION } from '../connectors/fs/mime';
import { ownEntry } from '../../../shared/own-entry';

/**
 * What `type:<name>` means: the MIME types a name stands for. A name is a
 * kind people say ("pdf", "code", "spreadsheet"), a file extension Trove
 * knows (`type:py`), or a MIME type written out (`type:application/pdf`).
 */
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const GOOGLE_DOC = 'application/vnd.google-apps.document';
const GOOGLE_SHEET = 'application/vnd.google-apps.spreadsheet';
const GOOGLE_SLIDES = 'application/vnd.google-apps.presentation';

const CODE_TYPES = [
  ...new Set(
    Object.entries(MIME_TYPE_BY_EXTENSION)
      .filter(
        ([ext]) => !['md', 'markdown', 'txt', 'html', 'htm', 'pdf', 'docx', 'csv', 'tsv', 'json', 'gz'].includes(ext),
      )
      .map(([, mime]) => mime),
  ),
];

// prettier-ignore
const KINDS: Record<string, readonly string[]> = {
  pdf: ['application/pdf'],
  word: [DOCX], docx: [DOCX],
  doc: [DOCX, GOOGLE_DOC], document: [DOCX, GOOGLE_DOC], gdoc: [GOOGLE_DOC],
  markdown: ['text/markdown', 'text/x-markdown'], md: ['text/markdown', 'text/x-markdown'],
  text: ['text/plain'], txt: ['text/plain'],
  html: ['text/html'], web: ['text/html'],
  spreadsheet: ['text/csv', 'text/tab-separated-values', GOOGLE_SHEET], sheet: ['text/csv', 'text/tab-separated-values', GOOGLE_SHEET],
  slides: [GOOGLE_SLIDES], presentation: [GOOGLE_SLIDES],
  code: CODE_TYPES,
  compressed: [GZIP_MIME_TYPE], gzip: [GZIP_MIME_TYPE],
};

/** The names `type:` accepts besides extensions and MIME types, for error messages. */
export const TYPE_NAMES = Object.keys(KINDS);

/** The MIME types `type:<name>` selects, or null when the name means nothing. */
export function mimeTypesForTypeName(name: string): string[] | null {
  const key = name.trim().toLowerCase().replace(/^\./, '');
  if (/^[a-z]+\/[a-z0-9.+-]+$/.test(key)) return [key];
  const kind = ownEntry(KINDS, key);
  if (kind) return [...kind];
  const byExtension = ownEntry(MIME_TYPE_BY_EXTENSION, key);
  return byExtension ? [byExtension] : null;
}

/**
 * The endings of the file names that `mimeTypes` also select among
 * compressed files: such a file is read as the file it holds
 * (ingest/parse.ts), so `type:pdf` finds `manual.pdf.gz` as well, though the
 * file's own type stays gzip's (opened, it is a `.gz` file).
 */
export function compressedNameEndings(mimeTypes: readonly string[]): string[] {
  const wanted = new Set(mimeTypes);
  return Object.entries(MIME_TYPE_BY_EXTENSION)
    .filter(([ext, mime]) => ext !== 'gz' && wanted.has(mime))
    .map(([ext]) => `.${ext}.gz`);
}
