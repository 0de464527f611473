import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | undefined;

/**
 * The repository (or installed package) folder and its package.json version.
 * Found by walking up from this module, because it runs from src/main/cli/
 * (tsx), from out/cli/ or a chunk below it (the CLI bundle): a fixed `../..`
 * would be right for only one of them.
 */
function packageInfo(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'trove' && manifest.version) return (cached = { root: dir, version: manifest.version });
    } catch {
      // No package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the package.json of trove above the CLI.');
    dir = parent;
  }
}

/** The folder holding Trove's package.json (the repository root in development). */
export const packageRoot = (): string => packageInfo().root;

/** The version in package.json, shown by `trove --version` and the UI's About box. */
export const appVersion = (): string => packageInfo().version;
