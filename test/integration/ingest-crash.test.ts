import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { startTinyModelHub } from '../helpers/test-core';
import type { FakeModelHub } from '../fakes/model-hub-server';

const FILES = 300;
const CHILD = join(__dirname, 'fixtures', 'ingest-crash-child.ts');

function runChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

function completedCount(dataDir: string): number {
  try {
    const db = new BetterSqlite3(databaseFile(dataDir), { readonly: true, fileMustExist: true });
    try {
      return (
        db.prepare(`SELECT COUNT(*) AS n FROM imported_documents WHERE sync_status = 'completed'`).get() as {
          n: number;
        }
      ).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

describe('a crash in the middle of a sync', () => {
  let hub: FakeModelHub;
  let root: string;

  beforeAll(async () => {
    hub = await startTinyModelHub();
    root = mkdtempSync(join(tmpdir(), 'trove-crash-'));
    const folder = join(root, 'docs');
    for (let d = 0; d < 10; d++) {
      mkdirSync(join(folder, `topic-${d}`), { recursive: true });
      for (let i = 0; i < FILES / 10; i++) {
        const body = Array.from(
          { length: 12 },
          (_, p) => `Paragraph ${p} of note ${d}-${i} about wind tunnels, flutter and heat transfer number ${p * i}.`,
        ).join('\n\n');
        writeFileSync(
          join(folder, `topic-${d}`, `note-${i}.md`),
          `# Note ${d}-${i}\n\n## Part A\n\n${body}\n\n## Part B\n\n${body}\n`,
        );
      }
    }
  });

  afterAll(async () => {
    await hub?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('loses nothing: after SIGKILL and a restart every document is indexed exactly once', async () => {
    const dataDir = join(root, 'data');
    const folder = join(root, 'docs');

    const first = runChild(['start', dataDir, folder, hub.baseUrl]);
    const firstExit = exited(first);
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = completedCount(dataDir);
      if (seen >= 20) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    first.kill('SIGKILL');
    const killed = await firstExit;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = completedCount(dataDir);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(FILES); // it really was killed mid-way

    const second = runChild(['resume', dataDir, folder, hub.baseUrl]);
    const resumed = await exited(second);
    expect(resumed.code, resumed.stderr).toBe(0);

    const db = openDatabase(databaseFile(dataDir));
    try {
      const docs = db
        .prepare(`SELECT sync_status AS status, COUNT(*) AS n FROM imported_documents GROUP BY sync_status`)
        .all();
      expect(docs).toEqual([{ status: 'completed', n: FILES }]);
      // One row per file, chunk indexes 0..n-1 with no gaps, no parked leftovers and no duplicates.
      const badDocs = db
        .prepare(
          `SELECT imported_document_id FROM imported_doc_chunks GROUP BY imported_document_id
           HAVING MIN(chunk_index) != 0 OR MAX(chunk_index) != COUNT(*) - 1 OR COUNT(DISTINCT chunk_index) != COUNT(*)`,
        )
        .all();
      expect(badDocs).toEqual([]);
      const chunks = (db.prepare(`SELECT COUNT(*) AS n FROM imported_doc_chunks`).get() as { n: number }).n;
      const fts = (db.prepare(`SELECT COUNT(*) AS n FROM chunks_fts`).get() as { n: number }).n;
      const space = db.prepare(`SELECT id FROM embedding_spaces WHERE is_active = 1`).get() as { id: number };
      const vectors = (db.prepare(`SELECT COUNT(*) AS n FROM vec_chunks_${space.id}`).get() as { n: number }).n;
      expect(chunks).toBeGreaterThanOrEqual(FILES * 2);
      expect(fts).toBe(chunks);
      expect(vectors).toBe(chunks);
      const jobs = db
        .prepare(`SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY status`)
        .all();
      expect(jobs).toEqual([]);
      const runs = db.prepare(`SELECT status FROM connector_sync_logs ORDER BY started_at`).all() as Array<{
        status: string;
      }>;
      expect(runs.at(-1)?.status).toMatch(/success|partial/);
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);
});
