#!/usr/bin/env node
// Bundles the `trove` command (src/main/cli.ts) into out/cli/ with esbuild, so
// that `trove` runs plain JavaScript instead of compiling TypeScript through
// tsx at every start (~1-3 s before; see bench/cli.bench.ts). Runs at
// `npm install` (the `prepare` script) and with `npm run build:cli`.
//
// - Every npm package stays external: they load from node_modules as before
//   (native ones such as better-sqlite3, sqlite-vec, keytar, onnxruntime-node
//   and sharp cannot be bundled anyway).
// - Code splitting keeps the lazy `import()`s of cli.ts lazy: `trove --version`
//   loads only the small entry, not the core, the models or the parsers.
// - The worker threads are entries of their own (`<name>.worker.js` next to
//   trove.js), where spawnWorker looks for them in a built program.
// - out/cli/inputs.json lists the source files the bundle was built from;
//   bin/trove.js runs the bundle only while none of them is newer.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without esbuild still works: bin/trove.js falls back to tsx.
  console.warn('build-cli: esbuild is not installed; `trove` will run from source through tsx.');
  process.exit(0);
}

/** Every `*.worker.ts` under src/main/core, as `<name>.worker` entries (as electron.vite.config.ts does). */
function workerEntries() {
  const entries = {};
  const coreDir = join(root, 'src/main/core');
  for (const file of readdirSync(coreDir, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.worker.ts')) entries[basename(file, '.ts')] = join(coreDir, file);
  }
  return entries;
}

const started = performance.now();
rmSync(outDir, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { trove: join(root, 'src/main/cli.ts'), ...workerEntries() },
  outdir: outDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).map((file) => relative(root, join(root, file)));
writeFileSync(join(outDir, 'inputs.json'), JSON.stringify({ inputs: [...inputs, 'package.json'] }, null, 1) + '\n');
console.log(`build-cli: out/cli/trove.js from ${inputs.length} files in ${Math.round(performance.now() - started)} ms`);
