import {
  CODE_TYPES_BY_EXTENSION,
  CODE_TYPES_BY_NAME,
  GZIP_MIME_TYPE,
  IMAGE_TYPES_BY_EXTENSION,
  MIME_TYPE_BY_EXTENSION,
} from '../connectors/fs/mime';
import { ownEntry } from '../../../shared/own-entry';

/**
 * What `type:<name>` means: the MIME types a name stands for. A name is a
 * kind people say ("pdf", "code", "spreadsheet"), a file extension Trove
 * knows (`type:py`), or a MIME type written out (`type:application/pdf`).
 */
const DOCX = MIME_TYPE_BY_EXTENSION.docx!;
const ODT = MIME_TYPE_BY_EXTENSION.odt!;
const RTF = MIME_TYPE_BY_EXTENSION.rtf!;
const GOOGLE_DOC = 'application/vnd.google-apps.document';
const SHEETS = ['csv', 'tsv', 'xlsx', 'xlsm', 'ods'].map((ext) => MIME_TYPE_BY_EXTENSION[ext]!);
const GOOGLE_SHEET = 'application/vnd.google-apps.spreadsheet';
const SLIDES = ['pptx', 'odp'].map((ext) => MIME_TYPE_BY_EXTENSION[ext]!);
const GOOGLE_SLIDES = 'application/vnd.google-apps.presentation';

const CODE_TYPES = [...new Set([...Object.values(CODE_TYPES_BY_EXTENSION), ...Object.values(CODE_TYPES_BY_NAME)])];
const IMAGE_TYPES = [...new Set(Object.values(IMAGE_TYPES_BY_EXTENSION))];

// prettier-ignore
const KINDS: Record<string, readonly string[]> = {
  pdf: ['application/pdf'],
  word: [DOCX], docx: [DOCX],
  doc: [DOCX, ODT, RTF, GOOGLE_DOC], document: [DOCX, ODT, RTF, GOOGLE_DOC], gdoc: [GOOGLE_DOC],
  markdown: ['text/markdown', 'text/x-markdown'], md: ['text/markdown', 'text/x-markdown'],
  text: ['text/plain'], txt: ['text/plain'],
  html: ['text/html', 'application/xhtml+xml'], web: ['text/html', 'application/xhtml+xml'],
  spreadsheet: [...SHEETS, GOOGLE_SHEET], sheet: [...SHEETS, GOOGLE_SHEET],
  slides: [...SLIDES, GOOGLE_SLIDES], presentation: [...SLIDES, GOOGLE_SLIDES],
  code: CODE_TYPES,
  image: IMAGE_TYPES, images: IMAGE_TYPES, picture: IMAGE_TYPES, photo: IMAGE_TYPES,
  drawing: ['image/svg+xml'], diagram: ['image/svg+xml'],
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
