/**
 * Junk nobody wants indexed: version-control internals, dependency trees,
 * OS metadata, editor swap/lock files and partial downloads. A person who
 * sets `exclude` replaces this list: the folder dialogs show it filled in,
 * so what the box says is what is skipped. In a module of its own (no
 * dependencies) so the renderer can show it.
 */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/.git/**',
  '**/.svn/**',
  '**/.hg/**',
  '**/node_modules/**',
  '**/__pycache__/**',
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
  '~$*',
  '.~lock.*',
  '*.tmp',
  '*.temp',
  '*.swp',
  '*.swo',
  '*~',
  '*.crdownload',
  '*.part',
];
