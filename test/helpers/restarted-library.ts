import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCore, type TestCore } from './test-core';

/**
 * A folder's library as an earlier version of Trove left it, opened again
 * by this one: `write` fills the folder, which is indexed; `before` changes
 * the library as that version would have left it; `after` sees the next
 * start once its background work is done. Both temp folders go afterwards.
 */
export async function restartedLibrary(steps: {
  write(folder: string): void;
  before(first: TestCore): Promise<void> | void;
  after(second: TestCore): Promise<void> | void;
}): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trove-restart-'));
  const folder = mkdtempSync(join(tmpdir(), 'trove-restart-folder-'));
  try {
    steps.write(folder);
    const first = await startTestCore({ model: false, dataDir });
    try {
      await first.core.connectors.add({ type: 'local_folder', name: 'Docs', settings: { path: folder } });
      await first.core.idle();
      await steps.before(first);
    } finally {
      await first.cleanup();
    }
    const second = await startTestCore({ model: false, dataDir });
    try {
      await second.core.idle();
      await steps.after(second);
    } finally {
      await second.cleanup();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Each document's id and when it was indexed: unchanged when a start only wrote other tables. */
export function indexedAt(t: TestCore): unknown[] {
  return t.core.db.prepare(`SELECT id, processed_at FROM imported_documents ORDER BY id`).all();
}
