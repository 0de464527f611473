/**
 * What a folder leaves out unless told otherwise: hidden folders and files
 * (version control, caches, settings, `~/.ssh`, shell history, `.env`
 * files: hidden on purpose, and a home folder holds thousands of them that
 * change all day), private keys kept elsewhere, dependency trees, OS
 * metadata, editor swap and lock files and partial downloads. Spotlight and
 * Windows Search leave hidden files out too. A person who sets `exclude`
 * replaces this list: the folder dialogs show it filled in, so what the box
 * says is what is skipped. In a module of its own (no dependencies) so the
 * renderer can show it.
 */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/.*/**',
  '.*',
  '*.pem',
  '*.p12',
  '*.pfx',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  '**/node_modules/**',
  '**/__pycache__/**',
  'Thumbs.db',
  'desktop.ini',
  '~$*',
  '*.tmp',
  '*.temp',
  '*.swp',
  '*.swo',
  '*~',
  '*.crdownload',
  '*.part',
];
