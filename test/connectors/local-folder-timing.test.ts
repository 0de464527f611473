import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFolderConnectorFactory } from '../../src/main/core/connectors/local-folder/local-folder.connector';
import { connectorContext, KnownStore, removeDir, tempDir } from './local-sync-harness';

/**
 * Walking + hashing time for many small markdown files (about 5 KB each, as
 * in the ingest benchmark). Prints the figures; asserts only correctness.
 * TROVE_WALK_FILES=10000 for the full size (default 1000 to keep the suite lean).
 */
const FILES = Number(process.env.TROVE_WALK_FILES ?? 1000);

describe('local folder walk + hash timing', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('timing');
    const body = '# Heading\n\n' + 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(85);
    for (let d = 0; d < Math.ceil(FILES / 100); d++) {
      const dir = join(root, `section-${d}`);
      mkdirSync(dir);
      for (let f = 0; f < 100 && d * 100 + f < FILES; f++)
        writeFileSync(join(dir, `note-${f}.md`), `${body}\n${d}/${f}`);
    }
  });
  afterAll(() => removeDir(root));

  it(`walks and hashes ${FILES} files, then re-checks them without reading`, async () => {
    const connector = localFolderConnectorFactory(connectorContext('local_folder', { path: root }));
    const store = new KnownStore();
    let started = performance.now();
    const first = await store.sync(connector);
    const firstMs = performance.now() - started;
    started = performance.now();
    const second = await store.sync(connector);
    const secondMs = performance.now() - started;

    expect(first.upserts).toHaveLength(FILES);
    expect(new Set(first.upserts.map((d) => d.contentHash)).size).toBe(FILES);
    expect(second.upserts).toHaveLength(0);
    const mb = first.bytesTransferred / (1024 * 1024);
    console.log(
      `[local-folder timing] ${FILES} files, ${mb.toFixed(1)} MB: first sync (walk + read + sha256) ${firstMs.toFixed(0)} ms` +
        ` (${((FILES / firstMs) * 1000).toFixed(0)} files/s), unchanged re-sync (walk + stat) ${secondMs.toFixed(0)} ms`,
    );
  });
});
