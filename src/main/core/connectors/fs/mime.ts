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
  rst: 'text/x-rst', adoc: 'text/x-asciidoc', org: 'text/x-org', tex: 'text/x-tex', ltx: 'text/x-tex',
  pod: 'text/x-pod', vtt: 'text/vtt', srt: 'application/x-subrip',
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
  svg: 'image/svg+xml',
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
  pm: 'text/x-perl', jl: 'text/x-julia', ml: 'text/x-ocaml', mli: 'text/x-ocaml',
  fs: 'text/x-fsharp', fsi: 'text/x-fsharp', fsx: 'text/x-fsharp', vb: 'text/x-vb',
  f90: 'text/x-fortran', f95: 'text/x-fortran', f03: 'text/x-fortran', f08: 'text/x-fortran',
  asm: 'text/x-asm', s: 'text/x-asm', cmake: 'text/x-cmake', mk: 'text/x-makefile',
  bat: 'text/x-bat', cmd: 'text/x-bat', psm1: 'text/x-powershell', psd1: 'text/x-powershell',
  tcl: 'text/x-tcl', awk: 'text/x-awk', vim: 'text/x-vim', el: 'text/x-emacs-lisp', lisp: 'text/x-lisp',
  scm: 'text/x-scheme', rkt: 'text/x-racket', cljs: 'text/x-clojure', cljc: 'text/x-clojure',
  edn: 'text/x-clojure', elm: 'text/x-elm', nix: 'text/x-nix', hcl: 'text/x-hcl',
  bzl: 'text/x-starlark', bazel: 'text/x-starlark', cu: 'text/x-cuda', cuh: 'text/x-cuda',
  glsl: 'text/x-glsl', vert: 'text/x-glsl', frag: 'text/x-glsl', sol: 'text/x-solidity',
  pyx: 'text/x-cython', pxd: 'text/x-cython', mm: 'text/x-objc++', gemspec: 'text/x-ruby', rake: 'text/x-ruby',
  podspec: 'text/x-ruby', hrl: 'text/x-erlang', ksh: 'text/x-shellscript', csh: 'text/x-shellscript',
  tcsh: 'text/x-shellscript', sv: 'text/x-systemverilog', svh: 'text/x-systemverilog', vhd: 'text/x-vhdl',
  vhdl: 'text/x-vhdl', adb: 'text/x-ada', ads: 'text/x-ada', pas: 'text/x-pascal', cr: 'text/x-crystal',
  purs: 'text/x-purescript', diff: 'text/x-diff', patch: 'text/x-diff', conf: 'text/x-config',
  cfg: 'text/x-ini', cnf: 'text/x-ini', properties: 'text/x-java-properties', desktop: 'text/x-ini',
  service: 'text/x-ini',
};

/** Build and container files known by their whole name, which goes before an extension (`CMakeLists.txt`). */
// prettier-ignore
export const CODE_TYPES_BY_NAME: Readonly<Record<string, string>> = {
  makefile: 'text/x-makefile', gnumakefile: 'text/x-makefile', justfile: 'text/x-makefile',
  dockerfile: 'text/x-dockerfile', containerfile: 'text/x-dockerfile',
  gemfile: 'text/x-ruby', rakefile: 'text/x-ruby', vagrantfile: 'text/x-ruby', podfile: 'text/x-ruby', brewfile: 'text/x-ruby',
  jenkinsfile: 'text/x-groovy', sconstruct: 'text/x-python', sconscript: 'text/x-python',
  'cmakelists.txt': 'text/x-cmake', 'meson.build': 'text/x-meson',
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

/** The MIME type for a path, by a build file's name or by extension; `application/octet-stream` when unknown. */
export function mimeTypeForPath(filePath: string): string {
  return (
    ownEntry(CODE_TYPES_BY_NAME, basename(filePath).toLowerCase()) ??
    ownEntry(MIME_TYPE_BY_EXTENSION, fileExtension(filePath)) ??
    UNKNOWN_MIME_TYPE
  );
}
