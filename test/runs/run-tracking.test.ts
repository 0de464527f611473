/**
 * A sync run covers the indexing it caused: it is open until the last
 * document it queued is indexed or failed, closes with the truth, survives a
 * restart, reports aggregated progress and notifies only when it matters.
 * Real core, real SQLite, real files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TroveEvent } from '../../src/shared/contract';
import { createTroveApp, type TroveApp } from '../../src/main/core/api/trove-app';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { makeGarbagePdf } from '../fixtures/documents';
import { contractClient, type ContractClient } from '../helpers/contract-client';
import { describeOverview } from '../../src/renderer/overview-line';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function scratch(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'trove-runs-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  return root;
}

/** The app with its API called as the UI does: input validated and defaulted by the contract. */
async function open(dataDir: string, secrets = new MemorySecretStore()): Promise<TroveApp & { call: ContractClient }> {
  const app = await createTroveApp({ dataDir, secrets, logger: silentLogger, version: 'test', watch: false });
  cleanups.push(() => app.close());
  return { ...app, call: contractClient(app) };
}

async function writeNotes(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 30 }, (_, j) => `Line ${j} of note ${i} about topic ${i % 17}.`).join('\n');
    await writeFile(path.join(dir, `note-${String(i).padStart(4, '0')}.md`), `# Note ${i}\n\n${body}\n`);
  }
}

async function until<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sync runs', () => {
  it('stay running until the last document is indexed, then close with the truth', async () => {
    const root = await scratch();
    const notes = path.join(root, 'notes');
    await writeNotes(notes, 400);
    const app = await open(path.join(root, 'data'));
    const events: TroveEvent[] = [];
    app.onEvent((e) => events.push(e));

    const added = await app.call.addLocalFolder({ path: notes });
    // Sample the run while it works: it never claims done while documents are pending.
    const samples: Array<{ status: string; phase: string; pending: number }> = [];
    const log = await until(async () => {
      const [run] = (await app.call.listSyncLogs({ connectorId: added.connector.id, openOnly: false, limit: 1 })).items;
      if (!run) return null;
      const pending = (
        await app.call.listDocuments({
          connectorId: added.connector.id,
          status: ['pending', 'processing'],
          limit: 1,
          sort: 'updated',
        })
      ).total;
      samples.push({ status: run.status, phase: run.phase, pending });
      return run.phase === 'done' ? run : null;
    }, 'the run to end');

    // While documents were pending, the run was never done (a sample reads the run before the documents).
    for (const s of samples.slice(0, -1)) expect(s.phase).not.toBe('done');
    expect(samples.some((s) => s.phase === 'indexing' || s.pending > 0)).toBe(true);
    const docs = await app.call.listDocuments({ connectorId: added.connector.id, limit: 500 });
    expect(docs.items.filter((d) => d.status === 'completed')).toHaveLength(400);
    expect(log).toMatchObject({
      status: 'success',
      documentsSynced: 400,
      documentsToIndex: 400,
      kindLabel: 'Full sync',
    });
    // The run ends after the last document, and its duration covers indexing.
    const detail = app.core.repos.syncLogs.get(log.id)!;
    const lastProcessed = app.core.db
      .prepare(`SELECT MAX(processed_at) FROM imported_documents WHERE connector_id = ?`)
      .pluck()
      .get(added.connector.id) as number;
    expect(detail.completedAt!).toBeGreaterThanOrEqual(lastProcessed);
    expect(detail.completedAt! - lastProcessed).toBeLessThan(1000);
    expect(log.syncDurationMs! + log.indexingDurationMs!).toBe(log.durationMs);

    // Progress is aggregated: far fewer run events than documents, no per-document events at all.
    const progress = events.filter(
      (e): e is Extract<TroveEvent, { type: 'run.progress' }> => e.type === 'run.progress',
    );
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(100);
    expect(events.filter((e) => e.type === 'job' && e.jobType === 'process_imported_doc')).toHaveLength(0);
    // Once a bar has its denominator (phase indexing), it never changes.
    const totals = new Set(progress.filter((e) => e.run.phase === 'indexing').map((e) => e.run.toIndex));
    expect([...totals]).toEqual([400]);
    const finished = events.filter((e) => e.type === 'sync.finished');
    expect(finished).toHaveLength(1);

    // One notification that says what changed; a sync that changes nothing adds none.
    const before = await app.call.listNotifications({ limit: 50, unreadOnly: false });
    expect(before.items.map((n) => n.title)).toEqual(['notes: 400 new']);
    await app.call.syncConnector({ connectorId: added.connector.id, mode: 'incremental' });
    await until(async () => {
      const runs = (await app.call.listSyncLogs({ connectorId: added.connector.id, limit: 5, openOnly: false })).items;
      return runs.length === 2 && runs.every((r) => r.phase === 'done');
    }, 'the second run');
    expect((await app.call.listNotifications({ limit: 50, unreadOnly: false })).items).toHaveLength(1);

    // A run that only removed a file says so, not that something was indexed.
    await rm(path.join(notes, 'note-0000.md'));
    await app.call.syncConnector({ connectorId: added.connector.id, mode: 'incremental' });
    const [removal] = await until(async () => {
      const items = (await app.call.listNotifications({ limit: 50, unreadOnly: false })).items;
      return items.length === 2 ? items : null;
    }, 'the removal notification');
    expect(removal).toMatchObject({
      title: 'notes: 1 removed',
      message: 'No longer in the source, so no longer in search results.',
    });

    // Removing the connector removes its notifications with its history.
    await app.call.removeConnector({ connectorId: added.connector.id, confirm: true });
    expect((await app.call.listNotifications({ limit: 50, unreadOnly: false })).items).toHaveLength(0);
  });

  it('closes a run left indexing by a stopped process once its documents are done after a restart', async () => {
    const root = await scratch();
    const notes = path.join(root, 'notes');
    await writeNotes(notes, 600);
    const dataDir = path.join(root, 'data');
    const secrets = new MemorySecretStore();
    const first = await open(dataDir, secrets);
    const added = await first.call.addLocalFolder({ path: notes });
    // Stop while documents are still waiting to be indexed.
    await until(() => {
      const [run] = first.core.repos.syncLogs.list({ connectorId: added.connector.id, limit: 1 });
      return run && run.documentsToIndex > 50;
    }, 'documents to be queued');
    await first.close();
    cleanups.pop();
    const [left] = (await openDb(dataDir)).list;
    expect(left?.phase).not.toBe('done');

    const second = await open(dataDir, secrets);
    const run = await until(() => {
      const [r] = second.core.repos.syncLogs
        .list({ connectorId: added.connector.id, limit: 5 })
        .filter((r) => r.id === left!.id);
      return r?.phase === 'done' ? r : null;
    }, 'the interrupted run to close');
    const counts = second.core.repos.documents.countsByConnector().get(added.connector.id)!;
    // Every document reached an end, and the interrupted run says how it went.
    expect((counts.pending ?? 0) + (counts.processing ?? 0)).toBe(0);
    expect(['success', 'failed']).toContain(run.status);
    if (run.phase === 'done' && left!.phase === 'syncing') expect(run.errorMessage).toMatch(/stopped before/);
  });

  it('fails an import of a path that does not exist at once, and never remembers it', async () => {
    const root = await scratch();
    const app = await open(path.join(root, 'data'));
    const missing = path.join(root, 'nowhere', 'report.pdf');
    await expect(app.call.importPaths({ paths: [missing] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(missing),
    });
    expect(app.core.repos.connectors.listByType('local_import')).toHaveLength(0);
    expect(app.core.repos.syncLogs.list({})).toHaveLength(0);
    // `~` is the home folder, as people type it.
    await expect(app.call.importPaths({ paths: ['~/trove-surely-not-here-42'] })).rejects.toMatchObject({
      message: expect.stringContaining(path.join(process.env.HOME ?? '', 'trove-surely-not-here-42')),
    });
  });

  it('names failed files, retries them after they are fixed, and a new import scans only what was added', async () => {
    const root = await scratch();
    const app = await open(path.join(root, 'data'));
    const broken = path.join(root, 'broken.pdf');
    const good = path.join(root, 'good.md');
    await writeFile(broken, makeGarbagePdf());
    await writeFile(good, '# Good\n\nFine text.\n');
    const first = await app.call.importPaths({ paths: [broken, good] });
    const run = await until(async () => {
      const [r] = (await app.call.listSyncLogs({ connectorId: first.connectorId, limit: 1, openOnly: false })).items;
      return r?.phase === 'done' ? r : null;
    }, 'the import run');
    expect(run).toMatchObject({ status: 'partial', documentsFailed: 1, kindLabel: 'Import' });
    const failed = await app.call.listDocuments({ syncLogId: run.id, status: ['error'], limit: 10 });
    expect(failed.items).toEqual([expect.objectContaining({ title: 'broken.pdf', path: broken })]);
    const detail = await app.call.getSyncLog({ syncLogId: run.id });
    expect(detail.log.errorDetails).toEqual([expect.objectContaining({ title: 'broken.pdf', path: broken })]);
    expect(JSON.stringify(detail.log.errorDetails)).not.toContain('sha256');
    const [note] = (await app.call.listNotifications({ limit: 5, unreadOnly: false })).items;
    expect(note).toMatchObject({ level: 'error', documentId: failed.items[0]!.id });
    expect(note!.message).toContain('“broken.pdf”');

    // Fixed on disk, then retried: read again and indexed, in a run of its own.
    await writeFile(broken, '%PDF-1.4 still not a real pdf, but now a different file');
    await writeFile(broken, Buffer.from(await (await import('../fixtures/documents')).makePdf(['Fixed page.'])));
    const retried = await app.call.retryDocuments({ syncLogId: run.id });
    expect(retried).toMatchObject({ reread: 1, reindexed: 0 });
    await until(async () => {
      const failedNow = await app.call.listDocuments({ connectorId: first.connectorId, status: ['error'] });
      if (failedNow.total > 0) return false;
      const doc = (
        await app.call.listDocuments({
          connectorId: first.connectorId,
          titleContains: 'broken',
          limit: 1,
          sort: 'updated',
        })
      ).items[0];
      return doc?.status === 'completed';
    }, 'the fixed file to be indexed');

    // A later import scans only the new path: the run examines one file, not every file ever imported.
    const later = path.join(root, 'later.md');
    await writeFile(later, '# Later\n\nMore.\n');
    await app.call.importPaths({ paths: [later] });
    const third = await until(async () => {
      const runs = (await app.call.listSyncLogs({ connectorId: first.connectorId, limit: 1, openOnly: false })).items;
      const r = runs[0];
      return r && r.kindLabel === 'Import' && r.id !== run.id && r.phase === 'done' ? r : null;
    }, 'the second import');
    expect(third.documentsExamined).toBe(1);
    expect(third.documentsSynced).toBe(1);
  });

  it('cancels a run: its queued documents leave it, it closes saying so, and the next sync indexes them', async () => {
    const root = await scratch();
    const notes = path.join(root, 'notes');
    await writeNotes(notes, 800);
    const app = await open(path.join(root, 'data'));
    await app.call.addLocalFolder({ path: notes });
    const open1 = await until(async () => {
      const [r] = (await app.call.listSyncLogs({ openOnly: true, limit: 5 })).items;
      return r && r.documentsToIndex > 0 ? r : null;
    }, 'an open run');
    const overview = await app.call.activityOverview({});
    expect(overview.runs.map((r) => r.connectorName)).toEqual(['notes']);
    await app.call.cancelRun({ syncLogId: open1.id });
    const closed = await until(async () => {
      const r = (await app.call.getSyncLog({ syncLogId: open1.id })).log;
      return r.phase === 'done' ? r : null;
    }, 'the cancelled run to close');
    expect(closed.status).toBe('failed');
    expect(closed.stopped).toBe(true);
    expect(closed.errorMessage).toMatch(/Cancelled/);
    expect((await app.call.activityOverview({})).runs).toHaveLength(0);

    // "Documents not indexed yet are indexed by the next sync": their files are unchanged, so the
    // listing passes over them; the sync queues them all the same, as part of its run.
    const unfinished = (): number => {
      const counts = app.core.repos.documents.countsByStatus();
      return counts.pending + counts.processing;
    };
    const left = unfinished();
    expect(left).toBeGreaterThan(0);
    // Nothing works on them meanwhile: they are not "waiting" in the queue.
    expect(await app.call.activityOverview({})).toMatchObject({ waitingDocuments: 0, leftDocuments: left });
    await app.call.syncConnector({ connectorId: open1.connectorId, mode: 'incremental' });
    const next = await until(async () => {
      const [r] = (await app.call.listSyncLogs({ limit: 1, openOnly: false })).items;
      return r && r.id !== open1.id && r.phase === 'done' ? r : null;
    }, 'the next sync');
    expect(next.status).toBe('success');
    expect(next.documentsToIndex).toBeGreaterThanOrEqual(left);
    expect(unfinished()).toBe(0);
    expect(await app.call.activityOverview({})).toMatchObject({ waitingDocuments: 0, leftDocuments: 0 });
  });
});

/** The runs of a data folder read with a plain connection, as after the process stopped. */
async function openDb(dataDir: string): Promise<{ list: Array<{ id: string; phase: string }> }> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(dataDir, 'trove.db'), { readonly: true });
  try {
    return {
      list: db.prepare(`SELECT id, phase FROM connector_sync_logs ORDER BY started_at DESC`).all() as Array<{
        id: string;
        phase: string;
      }>,
    };
  } finally {
    db.close();
  }
}

/** A library of `count` notes, indexed, with its queue stopped: jobs queued now stay queued, as at a start-up. */
async function indexedLibraryAtRest(
  count: number,
): Promise<{ app: TroveApp & { call: ContractClient }; ids: string[] }> {
  const root = await scratch();
  const notes = path.join(root, 'notes');
  await writeNotes(notes, count);
  const app = await open(path.join(root, 'data'));
  const added = await app.call.addLocalFolder({ path: notes });
  await until(async () => {
    const [run] = (await app.call.listSyncLogs({ connectorId: added.connector.id, openOnly: false, limit: 1 })).items;
    return run?.phase === 'done';
  }, 'the first run to end');
  await app.core.queue.stop();
  return { app, ids: app.core.db.prepare(`SELECT id FROM imported_documents`).pluck().all() as string[] };
}

describe('indexed documents processed again in the background', () => {
  it('are counted as an update under way, apart from documents waiting to be indexed', async () => {
    // What a chunker update leaves at start-up: every indexed document queued again, no run open.
    const { app, ids } = await indexedLibraryAtRest(12);
    for (const documentId of ids)
      app.core.queue.enqueue('process_imported_doc', { documentId }, { key: `process:${documentId}` });
    const overview = await app.call.activityOverview({});
    expect(overview).toMatchObject({ runs: [], waitingDocuments: 0, updatingDocuments: 12 });
    expect(describeOverview(overview).text).toBe('Updating 12 documents to this version of Trove');
  });

  it('are counted as scans being read while OCR has them, not as background upkeep', async () => {
    // What an indexed scan leaves: its OCR queued, no run open (OCR's work belongs to none).
    const { app, ids } = await indexedLibraryAtRest(3);
    for (const documentId of ids.slice(0, 2))
      app.core.queue.enqueue('ocr_document', { documentId, contentHash: 'scan' }, { key: `ocr:${documentId}` });
    const overview = await app.call.activityOverview({});
    expect(overview).toMatchObject({ runs: [], waitingDocuments: 0, scansBeingRead: 2, otherJobs: 0 });
    expect(describeOverview(overview).text).toBe('Reading the text of 2 scanned documents');
  });
});
