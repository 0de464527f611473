import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles a benchmark's measured child with esbuild, as electron-vite bundles
 * the app (node_modules outside, every worker of the core as its own entry
 * beside it), so the child runs under plain Node without tsx's loader, which
 * adds a few hundred MB of its own (more per worker thread) and would be
 * counted in the child's peak RSS. Returns the bundled entry's path.
 */
export async function bundleAppRun(entry: string, outdir: string): Promise<string> {
  const { build } = await import('esbuild');
  const core = fileURLToPath(new URL('../../src/main/core/', import.meta.url));
  const workers = readdirSync(core, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.worker.ts'));
  const name = basename(entry, '.ts');
  await build({
    entryPoints: {
      [name]: entry,
      ...Object.fromEntries(workers.map((file) => [basename(file, '.ts'), join(core, file)])),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outExtension: { '.js': '.js' },
    logLevel: 'error',
  });
  return join(outdir, `${name}.js`);
}
