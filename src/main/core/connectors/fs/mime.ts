import { basename, extname } from 'node:path';

/** The catch-all type: the parser records such a file as skipped (unsupported or binary). */
export const UNKNOWN_MIME_TYPE = 'application/octet-stream';

/** A gzip-compressed file's own type; Trove reads it as the file inside (ingest/parse.ts). */
export const GZIP_MIME_TYPE = 'application/gzip';

/**
 * MIME types by lower-case extension. Parsing happens later in the handler,
 * which chooses a parser from this type; the connectors only name it.
 */
export const MIME_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  txt: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xlsm: 'application/vnd.ms-excel.sheet.macroEnabled.12',
  xls: 'application/vnd.ms-excel',
  odt: 'application/vnd.oasis.opendocument.text',
  odp: 'application/vnd.oasis.opendocument.presentation',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  rtf: 'application/rtf',
  epub: 'application/epub+zip',
  eml: 'message/rfc822',
  mbox: 'application/mbox',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  // Source code: one type per language so the chunker can tell them apart.
  ts: 'text/x-typescript',
  tsx: 'text/x-tsx',
  js: 'text/javascript',
  mjs: 'text/javascript',
  cjs: 'text/javascript',
  jsx: 'text/x-jsx',
  py: 'text/x-python',
  go: 'text/x-go',
  rs: 'text/x-rust',
  java: 'text/x-java',
  c: 'text/x-c',
  h: 'text/x-c',
  cpp: 'text/x-c++',
  cc: 'text/x-c++',
  hpp: 'text/x-c++',
  cs: 'text/x-csharp',
  rb: 'text/x-ruby',
  php: 'text/x-php',
  swift: 'text/x-swift',
  kt: 'text/x-kotlin',
  sh: 'text/x-shellscript',
  bash: 'text/x-shellscript',
  sql: 'application/sql',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  toml: 'application/toml',
  css: 'text/css',
  scss: 'text/x-scss',
  // Stored as what the file is, so its original is served as a .gz file (type-names.ts selects it by the file inside).
  gz: GZIP_MIME_TYPE,
};

/** Lower-case extension without the dot; '' when there is none (`Makefile`, `.env`). */
export function fileExtension(filePath: string): string {
  return extname(basename(filePath)).slice(1).toLowerCase();
}

/** The MIME type for a path, by extension; `application/octet-stream` when unknown. */
export function mimeTypeForPath(filePath: string): string {
  return MIME_TYPE_BY_EXTENSION[fileExtension(filePath)] ?? UNKNOWN_MIME_TYPE;
}
