import { basename, extname } from 'node:path';
import { ownEntry } from '../../../../shared/own-entry';

/** The type of a file Trove names no type for (`README`, `data.bin`): the parser decides by its bytes. */
export const UNKNOWN_MIME_TYPE = 'application/octet-stream';

/** A gzip-compressed file's own type; Trove reads it as the file inside (ingest/parse.ts). */
export const GZIP_MIME_TYPE = 'application/gzip';

/** Documents: text, markup, office files, mail, data. */
// prettier-ignore
const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  md: 'text/markdown', markdown: 'text/markdown', mdx: 'text/markdown', mdown: 'text/markdown',
  txt: 'text/plain', text: 'text/plain', log: 'text/x-log',
  rst: 'text/x-rst', adoc: 'text/x-asciidoc', org: 'text/x-org', vtt: 'text/vtt', srt: 'application/x-subrip',
  html: 'text/html', htm: 'text/html', xhtml: 'application/xhtml+xml',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xlsm: 'application/vnd.ms-excel.sheet.macroEnabled.12',
  xls: 'application/vnd.ms-excel',
  odt: 'application/vnd.oasis.opendocument.text',
  odp: 'application/vnd.oasis.opendocument.presentation',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  rtf: 'application/rtf', epub: 'application/epub+zip',
  eml: 'message/rfc822', mbox: 'application/mbox', mbx: 'application/mbox',
  csv: 'text/csv', tsv: 'text/tab-separated-values', tab: 'text/tab-separated-values',
  json: 'application/json', geojson: 'application/geo+json', ipynb: 'application/x-ipynb+json',
};

/** Source code and configuration: one type per language, so the chunker and `type:code` can tell them apart. */
// prettier-ignore
export const CODE_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'text/x-typescript', mts: 'text/x-typescript', cts: 'text/x-typescript', tsx: 'text/x-tsx',
  js: 'text/javascript', mjs: 'text/javascript', cjs: 'text/javascript', jsx: 'text/x-jsx',
  py: 'text/x-python', pyi: 'text/x-python', go: 'text/x-go', rs: 'text/x-rust', java: 'text/x-java',
  c: 'text/x-c', h: 'text/x-c', cpp: 'text/x-c++', cc: 'text/x-c++', cxx: 'text/x-c++', hpp: 'text/x-c++',
  hh: 'text/x-c++', hxx: 'text/x-c++', cs: 'text/x-csharp', rb: 'text/x-ruby', php: 'text/x-php',
  swift: 'text/x-swift', kt: 'text/x-kotlin', kts: 'text/x-kotlin', scala: 'text/x-scala',
  sh: 'text/x-shellscript', bash: 'text/x-shellscript', zsh: 'text/x-shellscript', fish: 'text/x-shellscript',
  ps1: 'text/x-powershell', sql: 'application/sql', r: 'text/x-r', lua: 'text/x-lua', pl: 'text/x-perl',
  dart: 'text/x-dart', ex: 'text/x-elixir', exs: 'text/x-elixir', erl: 'text/x-erlang', hs: 'text/x-haskell',
  clj: 'text/x-clojure', vue: 'text/x-vue', svelte: 'text/x-svelte',
  css: 'text/css', scss: 'text/x-scss', less: 'text/x-less',
  yaml: 'application/yaml', yml: 'application/yaml', toml: 'application/toml', ini: 'text/x-ini',
  xml: 'application/xml', proto: 'text/x-protobuf', graphql: 'application/graphql', gql: 'application/graphql',
  tf: 'text/x-terraform', jsonl: 'application/x-ndjson', ndjson: 'application/x-ndjson',
  gradle: 'text/x-groovy', groovy: 'text/x-groovy', zig: 'text/x-zig', nim: 'text/x-nim',
};

/** Build and container files known by their whole name, which have no extension. */
export const CODE_TYPES_BY_NAME: Readonly<Record<string, string>> = {
  makefile: 'text/x-makefile',
  justfile: 'text/x-makefile',
  dockerfile: 'text/x-dockerfile',
  gemfile: 'text/x-ruby',
  rakefile: 'text/x-ruby',
};

/** Images, read with OCR. */
// prettier-ignore
export const IMAGE_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', jpe: 'image/jpeg', jfif: 'image/jpeg',
  tif: 'image/tiff', tiff: 'image/tiff', webp: 'image/webp', bmp: 'image/bmp', dib: 'image/bmp', gif: 'image/gif',
};

/**
 * MIME types by lower-case extension, for every format Trove reads (a test
 * holds this to ingest/file-types.ts). Parsing happens later in the handler,
 * which decides by the bytes and the extension; the type is what `type:`
 * filters by and what browser mode serves an original as.
 */
export const MIME_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ...DOCUMENT_TYPES,
  ...CODE_TYPES_BY_EXTENSION,
  ...IMAGE_TYPES_BY_EXTENSION,
  // Stored as what the file is, so its original is served as a .gz file (type-names.ts selects it by the file inside).
  gz: GZIP_MIME_TYPE,
};

/** Lower-case extension without the dot; '' when there is none (`Makefile`, `.env`). */
export function fileExtension(filePath: string): string {
  return extname(basename(filePath)).slice(1).toLowerCase();
}

/** The MIME type for a path, by extension or by a build file's name; `application/octet-stream` when unknown. */
export function mimeTypeForPath(filePath: string): string {
  return (
    ownEntry(MIME_TYPE_BY_EXTENSION, fileExtension(filePath)) ??
    ownEntry(CODE_TYPES_BY_NAME, basename(filePath).toLowerCase()) ??
    UNKNOWN_MIME_TYPE
  );
}
