/**
 * Local folder walk + hash time (npm run bench:walk-hash): many small
 * Markdown files (about 5 KB each, as in the ingest benchmark), synced once
 * (walk + read + sha256), then again unchanged (walk + stat only).
 *
 *   npm run bench:walk-hash                   # 1,000 files
 *   npm run bench:walk-hash -- --files=10000
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
} finally {
  removeDir(root);
}
