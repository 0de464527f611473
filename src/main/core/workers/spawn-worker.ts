import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';

/**
 * Starts a worker thread whose entry file sits next to the calling module,
 * in whichever of the program's shapes we are running:
 *
 * - From TypeScript source (tsx, vitest, `node --import tsx`): the caller's
 *   `import.meta.url` ends in `.ts`, so the worker is the `.ts` sibling
 *   `<name>.ts`. On Node 20 a worker does NOT pick up `--import tsx` from its
 *   `execArgv` (checked: "Unknown file extension .ts"), so the thread starts
 *   from a two-line bootstrap that registers tsx's ESM hooks inside the
 *   thread and then imports the `.ts` entry.
 * - From the electron-vite bundle: the caller was bundled into a `.js` file
 *   (usually `out/main/index.js`, sometimes a shared chunk one folder down),
 *   and the worker was emitted as its own entry `<name>.js` next to the main
 *   bundle. We look beside the caller first, then one folder up (for chunks).
 *
 * The build must therefore list every worker as a separate main-process
 * entry named exactly `<name>` (e.g. `parse.worker` -> `out/main/parse.worker.js`).
 *
 * Why the caller passes its own URL rather than `new URL('./x.ts',
 * import.meta.url)`: Vite rewrites that literal pattern into an asset import,
 * which would copy the TypeScript file into the bundle instead of pointing at
 * the compiled worker entry.
 *
 * @param name worker entry name without extension, e.g. `'parse.worker'`
 * @param callerUrl `import.meta.url` of a module in the same folder as the worker source
 * @param options passed to `new Worker` unchanged (workerData, resourceLimits, ...)
 */
export function spawnWorker(name: string, callerUrl: string | URL, options: WorkerOptions = {}): Worker {
  const entry = resolveWorkerEntry(name, callerUrl);
  const limited: WorkerOptions = {
    ...options,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, ...options.resourceLimits },
  };
  if (entry.mode === 'bundle') return new Worker(entry.url, limited);
  const bootstrap = [
    `import(${JSON.stringify(tsxEsmApiUrl())})`,
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); });`,
  ].join('');
  return new Worker(bootstrap, { ...limited, eval: true });
}

/**
 * Young generation of each worker thread, MB, unless the caller sets its
 * own. V8 sizes it for throughput (semi-spaces up to 16 MB, three of them
 * in all), and a thread that churns through documents keeps it grown. On
 * bench:ingest (10,000 Markdown files, two runs each) peak RSS was 632-651
 * MB with V8's default, 594-597 at 8, 568-589 at 6 and 552-578 at 4; CPU
 * time in the threads was the same down to 6 and 5% more at 4, where
 * scavenges start to run often enough to show.
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

export interface WorkerEntry {
  url: URL;
  mode: 'source' | 'bundle';
}

/** Where `spawnWorker` would load `name` from; exported so callers and tests can check it. */
export function resolveWorkerEntry(name: string, callerUrl: string | URL): WorkerEntry {
  const caller = new URL(callerUrl);
  if (/\.[cm]?tsx?$/.test(caller.pathname)) {
    return { url: new URL(`./${name}.ts`, caller), mode: 'source' };
  }
  const candidates = [new URL(`./${name}.js`, caller), new URL(`../${name}.js`, caller)];
  const found = candidates.find((candidate) => candidate.protocol !== 'file:' || existsSync(candidate));
  // When nothing exists we still return the first candidate: the Worker's own
  // "Cannot find module" error names the path, which is the useful message.
  return { url: found ?? (candidates[0] as URL), mode: 'bundle' };
}

let cachedTsxApiUrl: string | undefined;

/**
 * The ESM build of `tsx/esm/api`. `require.resolve` would pick the CommonJS
 * build, whose `register()` cannot load ESM-only dependencies such as
 * pdfjs-dist, so we read the import condition from tsx's own exports map.
 */
function tsxEsmApiUrl(): string {
  if (cachedTsxApiUrl) return cachedTsxApiUrl;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } | string } | string>;
  };
  const entry = manifest.exports?.['./esm/api'];
  const importTarget = typeof entry === 'object' ? entry.import : undefined;
  const relative = typeof importTarget === 'string' ? importTarget : importTarget?.default;
  if (!relative)
    throw new AppError('INTERNAL', 'tsx does not export an ESM "./esm/api" entry, so TypeScript workers cannot start.');
  cachedTsxApiUrl = pathToFileURL(join(dirname(manifestPath), relative)).href;
  return cachedTsxApiUrl;
}
