import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/shared/contract/csp';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Every `*.worker.ts` under src/main/core becomes its own main-process entry
 * named `<name>.worker`, emitted next to index.js, because spawnWorker loads
 * `<name>.worker.js` from beside the main bundle. Discovered rather than
 * listed so a new worker cannot be forgotten.
 */
function workerEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  const found = readdirSync(join(root, 'src/main/core'), { recursive: true, encoding: 'utf8' });
  for (const file of found) {
    if (!file.endsWith('.worker.ts')) continue;
    const name = basename(file, '.ts');
    if (entries[name]) throw new Error(`Two workers are named ${name}; spawnWorker could not tell them apart.`);
    entries[name] = join(root, 'src/main/core', file);
  }
  return entries;
}

/**
 * Native or heavy modules stay outside the bundle: they are loaded from
 * node_modules at run time (electron-builder unpacks them from the asar).
 */
const NATIVE_EXTERNALS = [
  'better-sqlite3',
  'sqlite-vec',
  /^sqlite-vec-/,
  'keytar',
  'onnxruntime-node',
  '@huggingface/transformers',
  /^@lancedb\//,
  'apache-arrow',
];

/**
 * Writes the CSP meta tag into index.html: strict in builds, relaxed only
 * for Vite's dev server (inline React-refresh preamble, HMR websocket).
 * frame-ancestors is dropped because browsers ignore it in a meta tag (the
 * header carries it).
 */
function cspMetaTag(): Plugin {
  let dev = false;
  return {
    name: 'trove-csp-meta',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml() {
      const policy = contentSecurityPolicy({ dev })
        .split('; ')
        .filter((directive) => !directive.startsWith('frame-ancestors'))
        .join('; ');
      return [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' },
      ];
    },
  };
}

/**
 * electron-vite adds a CommonJS shim (require, __dirname) to ES chunks that
 * need one, placed after the last `import` its regex finds. That regex also
 * matches inside string literals (a message ending in `import"` did it),
 * which put the shim in the middle of a string. We add the identical shim at
 * the top first; electron-vite sees it and skips its own. If a future
 * electron-vite changes the text, the duplicate `const require` fails the
 * build loudly rather than silently.
 */
const CJS_SHIM = `
// -- CommonJS Shims --
import __cjs_mod__ from 'node:module';
const __filename = import.meta.filename;
const __dirname = import.meta.dirname;
const require = __cjs_mod__.createRequire(import.meta.url);
`;
function cjsShimAtTop(): Plugin {
  return {
    name: 'trove-cjs-shim-at-top',
    renderChunk: {
      order: 'pre',
      handler(code, _chunk, outputOptions) {
        if (
          outputOptions.format !== 'es' ||
          code.includes(CJS_SHIM) ||
          !/__filename|__dirname|require\(|require\.resolve\(/.test(code)
        )
          return null;
        return { code: CJS_SHIM + code, map: null };
      },
    },
  };
}

export default defineConfig({
  main: {
    plugins: [cjsShimAtTop()],
    build: {
      externalizeDeps: true,
      rollupOptions: {
        external: NATIVE_EXTERNALS,
        input: { index: resolve(root, 'src/main/shell/index.ts'), ...workerEntries() },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        // Sandboxed preloads are loaded with a CommonJS-only require.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), cspMetaTag()],
    build: {
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
