import picomatch from 'picomatch';

export { DEFAULT_EXCLUDE } from '../../../../shared/default-exclude';

export interface PathFilter {
  /** True when a directory (relative posix path) and everything under it is excluded. */
  isDirectoryExcluded(relativePath: string): boolean;
  /** True when a file (relative posix path) passes the include globs and no exclude glob. */
  isFileIncluded(relativePath: string): boolean;
}

/**
 * Globs match the path relative to the root with `/` separators. Patterns
 * without a slash match the file name at any depth (`*.md`, `.DS_Store`), as
 * in .gitignore; dotfiles are matched like any other file.
 */
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/**
 * `*.md` becomes `** /*.md` (without the space). Rewriting the pattern is much
 * faster than picomatch's `basename` option, which splits every path for
 * every pattern; `**` also matches zero folders, so root files still match.
 */
function anyDepth(pattern: string): string {
  return pattern.includes('/') ? pattern : `**/${pattern}`;
}

/** Throws when a pattern cannot be compiled; used by the settings schemas. */
export function assertValidGlob(pattern: string): void {
  picomatch.makeRe(anyDepth(pattern), GLOB_OPTIONS);
}

export function createPathFilter(options: { include?: readonly string[]; exclude?: readonly string[] }): PathFilter {
  const include = options.include?.length ? picomatch(options.include.map(anyDepth), GLOB_OPTIONS) : () => true;
  const exclude = options.exclude?.length ? picomatch(options.exclude.map(anyDepth), GLOB_OPTIONS) : () => false;
  return {
    // `dir/**` matches `dir` itself in picomatch, so pruning here never
    // descends into an excluded tree (node_modules is walked zero times).
    isDirectoryExcluded: (relativePath) => exclude(relativePath),
    isFileIncluded: (relativePath) => include(relativePath) && !exclude(relativePath),
  };
}
