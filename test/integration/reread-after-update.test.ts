import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTION_VERSION } from '../../src/main/core/ingest/extraction-version';
import type { StoredDocument } from '../../src/main/core/store/documents.repo';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { sizedPdf } from '../ingest/helpers/sized-pdf';

const README = 'argparse\n========\n\nCommand line parsing for the zqflags tool, ported from Python.\n';

/**
 * A library indexed by parsers of an earlier version: what they read (the
 * title, the PDF's headings, the version itself) is taken out of the stored
 * facts, as a library of that version has them.
 */
const AS_EARLIER_VERSION = `UPDATE imported_documents
  SET metadata = json_remove(metadata, '$.parse.version', '$.parse.headings', '$.parsedTitle'), content = content
  WHERE sync_status = 'completed'`;
/** Version 9 read a Perl module as prose, and stored it as plain text. */
const PERL_AS_PROSE = `UPDATE imported_documents
  SET mime_type = 'text/plain', metadata = json_set(metadata, '$.parse.format', 'plain', '$.parse.language', null)
  WHERE title = 'Flags.pm'`;

describe('documents read by an earlier version of the parsers', () => {
  let t: TestCore;
  let folder: string;
  let connectorId: string;
  const byName = (name: string): StoredDocument =>
    t.core.repos.documents.getByExternalId(connectorId, name) ?? expect.unreachable(`no document ${name}`);
  const shownTitle = async (query: string): Promise<string | undefined> =>
    (await t.core.search.search({ query, mode: 'keyword' })).groups[0]?.document.title;

  beforeAll(async () => {
    t = await startTestCore();
    folder = mkdtempSync(join(tmpdir(), 'trove-reread-'));
    writeFileSync(join(folder, 'README.md'), README);
    const guide = [
      [
        ['Greenhouse Field Guide', 22],
        ['Check the zqvents every morning before the sun is on the glass.', 10],
        ['1 Sensors', 16],
        ['The zqprobes report humidity to the panel every minute.', 10],
        ['2 Power supply', 16],
        ['The panel runs on the mains with a battery for cuts.', 10],
      ] as Array<[string, number]>,
    ];
    writeFileSync(join(folder, 'guide.pdf'), await sizedPdf(guide));
    writeFileSync(join(folder, 'program.bin'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]));
    writeFileSync(join(folder, 'Flags.pm'), 'package Flags;\nsub zqparse {\n    return @ARGV;\n}\n1;\n');
    const connector = await t.core.connectors.add({ type: 'local_folder', name: 'Docs', settings: { path: folder } });
    connectorId = connector.connector.id;
    await t.core.idle();
    t.core.db.exec(AS_EARLIER_VERSION);
    t.core.db.exec(PERL_AS_PROSE);
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('stay searchable, with what they had, until a sync reads them again', async () => {
    expect(await shownTitle('zqflags')).toBe('README.md');
    const readme = byName('README.md');
    // The sync's own decision, made without loading the file: the source is unchanged, yet it is to be read.
    expect(
      t.core.repos.documents.needsContent({ connectorId, externalId: 'README.md', contentHash: readme.contentHash! }),
    ).toBe(true);
    expect(byName('program.bin').syncStatus).toBe('skipped');
  });

  it('are read again at the next sync: new title and headings, the same chunks kept, nothing counted as changed', async () => {
    const chunkIds = t.core.repos.chunks.chunkIdsForDocument(byName('README.md').id);
    const jobsBefore = t.core.queue.list({ type: 'process_imported_doc', limit: 1000 }).length;
    t.core.connectors.syncNow(connectorId, 'incremental');
    await t.core.idle();

    expect(await shownTitle('zqflags')).toBe('argparse');
    const readme = byName('README.md');
    expect(readme.syncStatus).toBe('completed');
    expect((readme.metadata.parse as { version: number }).version).toBe(EXTRACTION_VERSION);
    expect(t.core.repos.chunks.chunkIdsForDocument(readme.id)).toEqual(chunkIds);
    const guide = byName('guide.pdf');
    expect((guide.metadata.parse as { headings?: unknown[] }).headings).toHaveLength(3);
    const found = await t.core.search.search({ query: 'zqprobes humidity', mode: 'keyword' });
    expect(found.groups[0]?.chunks[0]?.headingPath).toEqual(['Greenhouse Field Guide', '1 Sensors']);
    // Processed again: the two documents with text, not the skipped file.
    const jobs = t.core.queue.list({ type: 'process_imported_doc', limit: 1000 });
    const fresh = jobs.slice(0, jobs.length - jobsBefore).map((j) => (j.payload as { documentId: string }).documentId);
    const perl = byName('Flags.pm');
    expect(fresh.sort()).toEqual([readme.id, guide.id, perl.id].sort());
    // Read as the code it is now: its type and format follow, so type:code finds it.
    expect([perl.mimeType, (perl.metadata.parse as { format: string }).format]).toEqual(['text/x-perl', 'code']);
    const code = await t.core.search.search({ query: 'zqparse type:code', mode: 'keyword' });
    expect(code.groups.map((g) => g.document.title)).toEqual(['Flags.pm']);
    const run = t.core.repos.syncLogs.list({ connectorId, limit: 1 })[0]!;
    expect([run.documentsSynced, run.documentsUpdated, run.documentsFailed]).toEqual([0, 0, 0]);

    // Read by this version now: the next sync reads nothing again.
    t.core.connectors.syncNow(connectorId, 'incremental');
    await t.core.idle();
    expect(t.core.queue.list({ type: 'process_imported_doc', limit: 1000 })).toHaveLength(jobs.length);
  }, 60_000);
});
