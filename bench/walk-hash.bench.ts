/**
 * Local folder walk + hash time (npm run bench:walk-hash): many small
 * Markdown files (about 5 KB each, as in the ingest benchmark), synced once
 * (walk + read + sha256), then again unchanged (walk + stat only).
 *
 *   npm run bench:walk-hash                   # 1,000 files
 *   npm run bench:walk-hash -- --files=10000
 *
 * Then the cost of following .gitignore files: each folder gets its own
 * .gitignore and a build/ folder and log files it ignores, under a root
 * .gitignore of common patterns; the unchanged re-sync is timed with the
 * rules followed and not.
 *
 * Prints the figures; fails (exit 1) if a sync yields the wrong documents.
 * Moved from the unit suite: a timing is a figure to report, not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localFolderConnectorFactory } from '../src/main/core/connectors/local-folder/local-folder.connector';
import { connectorContext, KnownStore, removeDir, tempDir } from '../test/connectors/local-sync-harness';
import { benchArgs } from './lib/args';

const FILES = Number(benchArgs().get('files') ?? 1000);
/** Patterns of the kind project templates hold. */
const COMMON_PATTERNS = [
  '# build output',
  'build/',
  'dist/',
  'out/',
  'target/',
  '*.o',
  '*.so',
  '*.class',
  '*.pyc',
  '__pycache__/',
  '# logs and caches',
  '*.log',
  'logs/',
  '.cache/',
  '.pytest_cache/',
  '.mypy_cache/',
  'coverage/',
  '.nyc_output/',
  '# environments',
  '.env',
  '.env.*',
  '!.env.example',
  '.venv/',
  'venv/',
  'env/',
  '.tox/',
  '# editors',
  '.idea/',
  '.vscode/*',
  '!.vscode/settings.json',
  '*.swp',
  '*~',
  '.DS_Store',
  'Thumbs.db',
  '# packages',
  '*.tgz',
  '*.egg-info/',
  'vendor/bundle/',
  '/tmp/',
  '**/secrets/**',
  'docs/_build/',
];

const root = tempDir('walk-hash');
try {
  const body = '# Heading\n\n' + 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(85);
  for (let d = 0; d < Math.ceil(FILES / 100); d++) {
    const dir = join(root, `section-${d}`);
    mkdirSync(dir);
    for (let f = 0; f < 100 && d * 100 + f < FILES; f++) writeFileSync(join(dir, `note-${f}.md`), `${body}\n${d}/${f}`);
  }
  const connector = localFolderConnectorFactory(connectorContext('local_folder', { path: root }));
  const store = new KnownStore();
  let started = performance.now();
  const first = await store.sync(connector);
  const firstMs = performance.now() - started;
  started = performance.now();
  const second = await store.sync(connector);
  const secondMs = performance.now() - started;

  const distinct = new Set(first.upserts.map((d) => d.contentHash)).size;
  if (first.upserts.length !== FILES || distinct !== FILES || second.upserts.length !== 0) {
    console.error(
      `Wrong documents: first sync ${first.upserts.length} (${distinct} distinct), unchanged re-sync ${second.upserts.length}.`,
    );
    process.exitCode = 1;
  }
  const mb = first.bytesTransferred / (1024 * 1024);
  console.log(
    `[walk+hash] ${FILES} files, ${mb.toFixed(1)} MB: first sync (walk + read + sha256) ${firstMs.toFixed(0)} ms` +
      ` (${((FILES / firstMs) * 1000).toFixed(0)} files/s), unchanged re-sync (walk + stat) ${secondMs.toFixed(0)} ms`,
  );
  await gitignoreCost(root);
} finally {
  removeDir(root);
}

/** Adds .gitignore files and what they ignore to the tree, and times an unchanged re-sync with and without them. */
async function gitignoreCost(tree: string): Promise<void> {
  writeFileSync(join(tree, '.gitignore'), COMMON_PATTERNS.join('\n'));
  let ignoredFiles = 0;
  for (let d = 0; d < Math.ceil(FILES / 100); d++) {
    const dir = join(tree, `section-${d}`);
    writeFileSync(join(dir, '.gitignore'), `scratch-${d}.md\n!keep-${d}.log\n`);
    mkdirSync(join(dir, 'build'));
    for (let f = 0; f < 10; f++) writeFileSync(join(dir, 'build', `out-${f}.md`), 'built');
    writeFileSync(join(dir, `run-${d}.log`), 'log');
    writeFileSync(join(dir, `scratch-${d}.md`), 'scratch');
    writeFileSync(join(dir, `keep-${d}.log`), 'kept');
    ignoredFiles += 12;
  }
  const sections = Math.ceil(FILES / 100);
  // Every note and each folder's kept log (the .gitignore files are hidden files, left out by default).
  const expected = FILES + sections;
  const timed = async (respectGitignore: boolean) => {
    const connector = localFolderConnectorFactory(connectorContext('local_folder', { path: tree, respectGitignore }));
    const store = new KnownStore();
    const first = await store.sync(connector);
    const started = performance.now();
    await store.sync(connector);
    return { yielded: first.upserts.length, ms: performance.now() - started };
  };
  const followed = await timed(true);
  const notFollowed = await timed(false);
  if (followed.yielded !== expected || notFollowed.yielded !== expected + ignoredFiles) {
    console.error(
      `Wrong documents with .gitignore: ${followed.yielded} (expected ${expected}), without: ${notFollowed.yielded}.`,
    );
    process.exitCode = 1;
  }
  console.log(
    `[walk+gitignore] ${sections + 1} .gitignore files (${COMMON_PATTERNS.length} patterns at the top), ${ignoredFiles} files ignored:` +
      ` unchanged re-sync ${followed.ms.toFixed(0)} ms following them, ${notFollowed.ms.toFixed(0)} ms not (${notFollowed.yielded} files)`,
  );
}
