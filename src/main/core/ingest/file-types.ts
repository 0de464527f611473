import type { DocumentContent } from '../connectors/types';
import { looksBinary } from './decode';
import { imageFormatOf, IMAGE_EXTENSIONS, IMAGE_MIMES, type ImageFormat } from './image-formats';
import { ownEntry } from '../../../shared/own-entry';

/** What a piece of content is, decided before any parser runs. */
export type DetectedType =
  | { kind: 'markdown' }
  | { kind: 'plain' }
  /** Emacs's Org mode outlines and notes (parsers/org.ts). */
  | { kind: 'org' }
  /** LaTeX sources (parsers/latex.ts). */
  | { kind: 'latex' }
  /** Perl's POD documentation (parsers/pod.ts). */
  | { kind: 'pod' }
  | { kind: 'html' }
  | { kind: 'pdf' }
  | { kind: 'docx' }
  | { kind: 'code'; language: string }
  | { kind: 'delimited'; delimiter: ',' | '\t' }
  | { kind: 'json' }
  /** A Jupyter notebook (parsers/notebook.ts). */
  | { kind: 'notebook' }
  /** An SVG drawing, read as the text it shows (parsers/svg.ts). */
  | { kind: 'svg' }
  | { kind: 'pptx' }
  | { kind: 'odp' }
  | { kind: 'xlsx' }
  | { kind: 'ods' }
  | { kind: 'odt' }
  | { kind: 'rtf' }
  | { kind: 'epub' }
  /** An e-mail message, or (with `DocumentContent.part`) one of its attachments. */
  | { kind: 'mail' }
  /** A whole mailbox: local connectors split it into messages before parsing; elsewhere it cannot be read whole. */
  | { kind: 'mailbox' }
  /** A gzip-compressed file, parsed as the file it holds (parsers/gzip.ts). */
  | { kind: 'gzip' }
  /** Read by OCR; `format` from the magic bytes, else from the name or mime type. */
  | { kind: 'image'; format: ImageFormat }
  | { kind: 'binary' }
  | { kind: 'unsupported'; label: string; reason?: string }
  /** Written by a tool, not for reading (a package manager's lock file): skipped with `reason`. */
  | { kind: 'generated'; reason: string };

// prettier-ignore
const CODE_LANGUAGES: Record<string, string> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python', go: 'go', rs: 'rust', java: 'java',
  c: 'c', h: 'c', cpp: 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  cs: 'csharp', rb: 'ruby', php: 'php', swift: 'swift', kt: 'kotlin', kts: 'kotlin',
  scala: 'scala', sh: 'shell', bash: 'shell', zsh: 'shell', fish: 'shell', ps1: 'powershell',
  sql: 'sql', r: 'r', lua: 'lua', pl: 'perl', dart: 'dart', ex: 'elixir', exs: 'elixir',
  erl: 'erlang', hs: 'haskell', clj: 'clojure', vue: 'vue', svelte: 'svelte',
  css: 'css', scss: 'scss', less: 'less', yaml: 'yaml', yml: 'yaml', toml: 'toml', ini: 'ini',
  xml: 'xml', proto: 'protobuf', graphql: 'graphql', gql: 'graphql', tf: 'terraform',
  jsonl: 'json', ndjson: 'json', gradle: 'groovy', groovy: 'groovy', zig: 'zig', nim: 'nim',
  pm: 'perl', jl: 'julia', ml: 'ocaml', mli: 'ocaml', fs: 'fsharp', fsi: 'fsharp', fsx: 'fsharp', vb: 'vbnet',
  f90: 'fortran', f95: 'fortran', f03: 'fortran', f08: 'fortran', asm: 'assembly', s: 'assembly',
  cmake: 'cmake', mk: 'makefile', bat: 'batch', cmd: 'batch', psm1: 'powershell', psd1: 'powershell',
  tcl: 'tcl', awk: 'awk', vim: 'vim', el: 'elisp', lisp: 'lisp', scm: 'scheme', rkt: 'racket',
  cljs: 'clojure', cljc: 'clojure', edn: 'clojure', elm: 'elm', nix: 'nix', hcl: 'hcl',
  bzl: 'starlark', bazel: 'starlark', cu: 'cuda', cuh: 'cuda', glsl: 'glsl', vert: 'glsl', frag: 'glsl',
  sol: 'solidity', pyx: 'cython', pxd: 'cython', mm: 'objective-cpp', gemspec: 'ruby', rake: 'ruby',
  podspec: 'ruby', hrl: 'erlang', ksh: 'shell', csh: 'shell', tcsh: 'shell', sv: 'systemverilog',
  svh: 'systemverilog', vhd: 'vhdl', vhdl: 'vhdl', adb: 'ada', ads: 'ada', pas: 'pascal', cr: 'crystal',
  purs: 'purescript', diff: 'diff', patch: 'diff', conf: 'conf', cfg: 'ini', cnf: 'ini', properties: 'ini',
  desktop: 'ini', service: 'ini',
};

/**
 * Lock files: the exact versions a package manager resolved, rewritten by it
 * at every install. A project's `package-lock.json` runs to thousands of
 * lines of package names, versions and hashes; naming every dependency, it
 * came up for any search about a library ahead of the code that uses it.
 */
// prettier-ignore
const LOCK_FILES: Record<string, string> = {
  'package-lock.json': 'npm', 'npm-shrinkwrap.json': 'npm', 'yarn.lock': 'Yarn', 'pnpm-lock.yaml': 'pnpm',
  'bun.lock': 'Bun', 'deno.lock': 'Deno', 'cargo.lock': 'Cargo', 'poetry.lock': 'Poetry',
  'pipfile.lock': 'Pipenv', 'uv.lock': 'uv', 'pdm.lock': 'PDM', 'gemfile.lock': 'Bundler',
  'composer.lock': 'Composer', 'go.sum': 'Go', 'flake.lock': 'Nix', 'mix.lock': 'Mix',
  'pubspec.lock': 'pub', 'podfile.lock': 'CocoaPods', 'packages.lock.json': 'NuGet',
  'gradle.lockfile': 'Gradle', 'package.resolved': 'Swift Package Manager',
};

/** Files known by their whole name, which goes before what an extension says (`CMakeLists.txt` is CMake, not text). */
// prettier-ignore
const CODE_FILE_NAMES: Record<string, string> = {
  dockerfile: 'dockerfile', containerfile: 'dockerfile', makefile: 'makefile', gnumakefile: 'makefile',
  justfile: 'makefile', gemfile: 'ruby', rakefile: 'ruby', vagrantfile: 'ruby', podfile: 'ruby', brewfile: 'ruby',
  jenkinsfile: 'groovy', sconstruct: 'python', sconscript: 'python', 'cmakelists.txt': 'cmake', 'meson.build': 'meson',
};

// prettier-ignore
const EXTENSION_KINDS: Record<string, DetectedType> = {
  md: { kind: 'markdown' }, markdown: { kind: 'markdown' }, mdx: { kind: 'markdown' }, mdown: { kind: 'markdown' },
  txt: { kind: 'plain' }, text: { kind: 'plain' }, log: { kind: 'plain' }, rst: { kind: 'plain' },
  adoc: { kind: 'plain' }, org: { kind: 'org' }, tex: { kind: 'latex' }, ltx: { kind: 'latex' }, pod: { kind: 'pod' }, vtt: { kind: 'plain' }, srt: { kind: 'plain' },
  html: { kind: 'html' }, htm: { kind: 'html' }, xhtml: { kind: 'html' },
  pdf: { kind: 'pdf' }, docx: { kind: 'docx' },
  csv: { kind: 'delimited', delimiter: ',' }, tsv: { kind: 'delimited', delimiter: '\t' }, tab: { kind: 'delimited', delimiter: '\t' },
  json: { kind: 'json' }, geojson: { kind: 'json' }, ipynb: { kind: 'notebook' },
  pptx: { kind: 'pptx' }, odp: { kind: 'odp' }, xlsx: { kind: 'xlsx' }, xlsm: { kind: 'xlsx' }, ods: { kind: 'ods' },
  odt: { kind: 'odt' }, rtf: { kind: 'rtf' }, epub: { kind: 'epub' },
  eml: { kind: 'mail' }, mbox: { kind: 'mailbox' }, mbx: { kind: 'mailbox' }, gz: { kind: 'gzip' }, svg: { kind: 'svg' },
  xls: {
    kind: 'unsupported', label: '.xls files',
    reason: 'Trove cannot read Excel 97-2003 workbooks (.xls): no well-kept reader of that format exists for it to use. Save the file as .xlsx (File > Save As in Excel or LibreOffice) to have it indexed.',
  },
};

/** Formats people commonly have that Trove does not read (yet): named in the skip message. */
// prettier-ignore
const UNSUPPORTED_EXTENSIONS = new Set([
  'doc', 'ppt', 'pages', 'numbers', 'key', 'ps', 'eps', 'msg', 'one', 'mobi', 'azw', 'azw3', 'djvu', 'xps', 'oxps',
  'wpd', 'wps', 'vsd', 'vsdx', 'pub', 'mpp', 'indd', 'sketch', 'fig', 'dwg', 'ai',
  'ico', 'heic', 'psd',
  'mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac', 'mp4', 'mov', 'avi', 'mkv', 'webm',
  'zip', 'tgz', 'tar', '7z', 'rar', 'bz2', 'xz', 'dmg', 'iso',
  'exe', 'dll', 'so', 'dylib', 'bin', 'class', 'jar', 'o', 'a', 'wasm', 'pyc',
  'ttf', 'otf', 'woff', 'woff2', 'sqlite', 'db', 'parquet', 'avro',
]);

const MIME_KINDS: Array<[RegExp, DetectedType]> = [
  [/^text\/(x-)?markdown$/, { kind: 'markdown' }],
  [/^text\/(x-)?org$/, { kind: 'org' }],
  [/^(text|application)\/(x-)?(la)?tex$/, { kind: 'latex' }],
  [/^text\/x-pod$/, { kind: 'pod' }],
  [/^(text\/html|application\/xhtml\+xml)$/, { kind: 'html' }],
  [/^image\/svg\+xml$/, { kind: 'svg' }],
  [/^application\/pdf$/, { kind: 'pdf' }],
  [/^application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document$/, { kind: 'docx' }],
  [/^application\/vnd\.openxmlformats-officedocument\.presentationml\.presentation$/, { kind: 'pptx' }],
  [/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet$/, { kind: 'xlsx' }],
  [/^application\/vnd\.oasis\.opendocument\.presentation$/, { kind: 'odp' }],
  [/^application\/vnd\.oasis\.opendocument\.spreadsheet$/, { kind: 'ods' }],
  [/^application\/vnd\.oasis\.opendocument\.text$/, { kind: 'odt' }],
  [/^(application|text)\/rtf$/, { kind: 'rtf' }],
  [/^application\/epub\+zip$/, { kind: 'epub' }],
  [/^message\/rfc822$/, { kind: 'mail' }],
  [/^application\/mbox$/, { kind: 'mailbox' }],
  [/^application\/vnd\.ms-excel\.sheet\.macroenabled\.12$/, { kind: 'xlsx' }],
  [/^application\/vnd\.ms-excel$/, EXTENSION_KINDS.xls as DetectedType],
  [/^text\/csv$/, { kind: 'delimited', delimiter: ',' }],
  [/^text\/tab-separated-values$/, { kind: 'delimited', delimiter: '\t' }],
  [/^application\/x-ipynb\+json$/, { kind: 'notebook' }],
  [/^application\/([\w.-]+\+)?json$/, { kind: 'json' }],
  [/^(application|text)\/(x-)?(javascript|ecmascript)$/, { kind: 'code', language: 'javascript' }],
  [/^(application|text)\/(x-)?typescript$/, { kind: 'code', language: 'typescript' }],
  [/^text\/x-python$/, { kind: 'code', language: 'python' }],
  [/^(application|text)\/(x-)?(sh|shellscript)$/, { kind: 'code', language: 'shell' }],
  [/^(application|text)\/(x-)?sql$/, { kind: 'code', language: 'sql' }],
  [/^(application|text)\/(x-)?yaml$/, { kind: 'code', language: 'yaml' }],
  [/^(application|text)\/xml$/, { kind: 'code', language: 'xml' }],
  [/^text\//, { kind: 'plain' }],
];

/** Whether `ext` (lower case, no dot) names a document format Trove reads: text, markup, office, PDF, mail; not code. */
export function isDocumentExtension(ext: string): boolean {
  const kind = ownEntry(EXTENSION_KINDS, ext)?.kind;
  return kind !== undefined && kind !== 'unsupported';
}

/** The extensions, and the whole names, of the files Trove reads (the MIME types it stores are held to them). */
export function readableFileNames(): { extensions: string[]; names: string[] } {
  const documents = Object.keys(EXTENSION_KINDS).filter((ext) => EXTENSION_KINDS[ext]?.kind !== 'unsupported');
  return {
    extensions: [...documents, ...Object.keys(CODE_LANGUAGES), ...Object.keys(IMAGE_EXTENSIONS)],
    names: Object.keys(CODE_FILE_NAMES),
  };
}

/** Lower-case extension without the dot, or '' when the name has none. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * Decides how to parse content: magic bytes first (a PDF is a PDF whatever
 * it is called), then the file extension, then the mime type, then a sniff
 * of the bytes (NUL bytes or many control bytes mean binary).
 */
export function detectType(content: DocumentContent): DetectedType {
  const mime = content.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (content.kind === 'text') {
    return byMime(mime) ?? (looksLikeHtml(content.text) ? { kind: 'html' } : { kind: 'plain' });
  }
  const { bytes, fileName } = content;
  // An attachment is read out of its message first, whatever its own name says.
  if (content.part !== undefined) return { kind: 'mail' };
  if (startsWith(bytes, '%PDF-')) return { kind: 'pdf' };
  // A page description program: its text is drawing commands, not words to index.
  if (startsWith(bytes, '%!PS')) return { kind: 'unsupported', label: 'PostScript files' };
  const imageFormat = imageFormatOf(bytes);
  if (imageFormat) return { kind: 'image', format: imageFormat };
  if (startsWith(bytes, '{\\rtf')) return { kind: 'rtf' };
  const ext = extensionOf(fileName);
  if (ext === 'gz' || isGzip(bytes)) return compressedType(fileName);
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  const lockedBy = ownEntry(LOCK_FILES, base);
  if (lockedBy) {
    return {
      kind: 'generated',
      reason: `This is ${lockedBy}'s lock file: the exact versions it installed, written by ${lockedBy} rather than for reading, so Trove does not index it.`,
    };
  }
  const byName = byExtension(ext, base) ?? byMime(mime);
  // An image by name whose bytes are not one goes to the image parser too, which says what is wrong with it.
  if (byName && READ_AS_BYTES.has(byName.kind)) return byName;
  if (looksBinary(bytes)) return { kind: 'binary' };
  return byName ?? { kind: 'plain' };
}

/** Kinds decided by name alone: their parsers read bytes (zip archives, mail with 8-bit parts), which the text sniff would call binary. */
const READ_AS_BYTES = new Set<DetectedType['kind']>([
  'docx',
  'pdf',
  'unsupported',
  'pptx',
  'odp',
  'xlsx',
  'ods',
  'odt',
  'rtf',
  'epub',
  'mail',
  'mailbox',
  'image',
  'gzip',
]);

/** gzip's magic bytes and its one compression method, deflate. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

/**
 * A gzip-compressed file is read as the file inside, unless its name says
 * that is an archive or another format Trove does not read (`.tar.gz`,
 * `.tgz`, `.mp3.gz`): those are refused before anything is uncompressed.
 */
function compressedType(fileName: string): DetectedType {
  const ext = extensionOf(fileName);
  const inner = extensionOf(innerFileName(fileName));
  if (inner === 'tgz' || inner === 'tar') return { kind: 'unsupported', label: '.tar.gz archives' };
  if (UNSUPPORTED_EXTENSIONS.has(inner)) {
    return { kind: 'unsupported', label: ext === 'gz' ? `.${inner}.gz files` : `.${inner} files` };
  }
  return { kind: 'gzip' };
}

/**
 * The name of the file a gzip file holds: `NEWS.gz` holds `NEWS`, `guide.md.GZ` `guide.md`, and a
 * compressed SVG drawing `map.svgz` `map.svg`; gzip bytes named otherwise (`backup.tgz`) hold what the
 * name says, so the name is kept.
 */
export function innerFileName(fileName: string): string {
  return fileName.replace(/\.gz$/i, '').replace(/\.svgz$/i, '.svg');
}

function byExtension(ext: string, baseName: string): DetectedType | undefined {
  const named = ownEntry(CODE_FILE_NAMES, baseName);
  if (named) return { kind: 'code', language: named };
  const known = ownEntry(EXTENSION_KINDS, ext);
  if (known) return known;
  const image = ownEntry(IMAGE_EXTENSIONS, ext);
  if (image) return { kind: 'image', format: image };
  const language = ownEntry(CODE_LANGUAGES, ext);
  if (language) return { kind: 'code', language };
  if (UNSUPPORTED_EXTENSIONS.has(ext)) return { kind: 'unsupported', label: `.${ext} files` };
  return undefined;
}

function byMime(mime: string): DetectedType | undefined {
  for (const [pattern, type] of MIME_KINDS) if (pattern.test(mime)) return type;
  const image = ownEntry(IMAGE_MIMES, mime);
  if (image) return { kind: 'image', format: image };
  if (/^(image|audio|video|font)\//.test(mime)) return { kind: 'unsupported', label: `${mime.split('/')[0]} files` };
  return undefined;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>])/i.test(text.slice(0, 512));
}

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}
