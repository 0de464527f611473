/**
 * What the sidebar says WHILE a library is brought to a new version of
 * Trove: a library chunked by an earlier chunker (its documents' processed
 * keys name version 3) is opened, every document is chunked again in the
 * background, and the person sees the count go down to "Up to date", not a
 * frozen number or "Up to date" while the work runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNKER_VERSION } from '../../src/main/core/ingest';
import { CHUNKED_WITH_SETTING } from '../../src/main/core/services/rechunk-upgrade';
import { startTestCore } from '../helpers/test-core';
import { startE2EApp, type E2EApp } from './harness';
import { writeMarkdownCorpus } from './markdown-corpus';

const FILES = 1500;
/** The chunker version the library is made to look chunked by. */
const EARLIER = CHUNKER_VERSION - 1;
const UPDATING = /^Updating ([\d,]+) documents to this version of Trove$/;

let app: E2EApp;
let notes: string;

/** A library of FILES notes indexed as chunker version 3 left it. */
async function libraryOfEarlierVersion(dataDir: string): Promise<void> {
  const library = await startTestCore({ model: false, dataDir });
  try {
    await library.core.connectors.add({ type: 'local_folder', name: 'Notes', settings: { path: notes } });
    await library.core.idle();
  } finally {
    await library.cleanup();
  }
  const db = new BetterSqlite3(path.join(dataDir, 'trove.db'));
  db.exec(`UPDATE imported_documents SET processed_hash = replace(processed_hash, ':v${CHUNKER_VERSION}', ':v${EARLIER}');
    DELETE FROM settings WHERE key = '${CHUNKED_WITH_SETTING}'`);
  db.close();
}

/** Documents of the library not yet chunked by this version. */
function staleDocuments(dataDir: string): number {
  const db = new BetterSqlite3(path.join(dataDir, 'trove.db'), { readonly: true });
  try {
    return db
      .prepare(`SELECT count(*) FROM imported_documents WHERE processed_hash LIKE '%:v${EARLIER}'`)
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  notes = mkdtempSync(path.join(tmpdir(), 'trove-e2e-update-notes-'));
  await writeMarkdownCorpus(notes, FILES);
  app = await startE2EApp({ prepareDataDir: libraryOfEarlierVersion, core: { watch: false }, pageFirst: true });
}, 180_000);

afterAll(async () => {
  await app?.close();
  rmSync(notes, { recursive: true, force: true });
});

describe('opening a library indexed by an earlier version', () => {
  it('counts the documents being updated down to "Up to date", and says so only once none is left', async () => {
    const frames: Array<{ text: string; stale: number; at: number }> = [];
    const deadline = Date.now() + 120_000;
    for (;;) {
      const text = ((await app.page.getByTestId('sync-state').textContent()) ?? '').trim();
      // Read after the screen: a count on screen can only be older than the library's.
      frames.push({ text, stale: staleDocuments(app.dataDir), at: Date.now() });
      if (text === 'Up to date' || Date.now() > deadline) break;
      if (frames.length === 3) await app.screenshot('update-progress-under-way');
      await app.page.waitForTimeout(100);
    }
    const updating = frames.filter((f) => UPDATING.test(f.text));
    expect(updating.length, JSON.stringify(frames.slice(0, 5))).toBeGreaterThan(0);
    const counts = updating.map((f) => Number(UPDATING.exec(f.text)![1]!.replace(/,/g, '')));
    expect(counts[0]).toBeLessThanOrEqual(FILES);
    // The count only goes down.
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]!);
    // "Up to date" comes last, when every document is chunked by this version (the work announces no
    // progress of its own: without asking again, the screen kept its first count after the work ended).
    expect(frames.at(-1)).toMatchObject({ text: 'Up to date', stale: 0 });
    for (const frame of frames.slice(0, -1)) expect(frame.text).not.toBe('Up to date');
    // ...and soon after: within 3 s of the last document (the screen asks again every second).
    const done = frames.find((f) => f.stale === 0)!;
    expect(frames.at(-1)!.at - done.at).toBeLessThan(3000);
  }, 150_000);
});
