import { join } from 'node:path';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { CHUNKER_VERSION } from '../../src/main/core/ingest';
import { EXTRACTION_VERSION } from '../../src/main/core/ingest/extraction-version';
import { describeCrashPoints } from './crash-suite';
import { indexedNotesTemplate, indexViolations, notesIndex } from './harness';
import { REREAD_POINTS } from './scenarios';

const FILES = 240;

/** What is wrong with the documents' versions: each indexed one is read and chunked by this version. */
function versionViolations(dataDir: string): string[] {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  try {
    const rows = db
      .prepare(
        `SELECT external_id AS externalId, json_extract(metadata, '$.parse.version') AS version,
           processed_hash AS processed FROM imported_documents WHERE sync_status = 'completed'`,
      )
      .all() as Array<{ externalId: string; version: number | null; processed: string | null }>;
    return rows.flatMap((r) => [
      ...(r.version === EXTRACTION_VERSION ? [] : [`${r.externalId} was read by parsers of version ${r.version}`]),
      ...(r.processed?.endsWith(`:v${CHUNKER_VERSION}`) ? [] : [`${r.externalId} is not processed (${r.processed})`]),
    ]);
  } finally {
    db.close();
  }
}

/**
 * A library read by an earlier version of the parsers (the version is taken
 * out of its documents' facts); the next sync reads every file again, and is
 * killed at each crash point of that path. The run after syncs again: every
 * document must be indexed and searchable as before, read by this version.
 */
describeCrashPoints({
  title: 'crash points of reading a library again after the parsers changed',
  summary: 'Reading again after a parser update',
  points: REREAD_POINTS,
  timeoutMs: 150_000,
  ...indexedNotesTemplate('reread-template', FILES, (template) => {
    const db = openDatabase(databaseFile(template.dataDir), { migrate: false });
    db.exec(`UPDATE imported_documents SET metadata = json_remove(metadata, '$.parse.version')`);
    db.close();
  }),
  // The copy keeps the template's absolute folder path in the connector settings: point it here.
  steps: ({ world }) => [`repoint=${join(world.root, 'notes')}`, 'sync', 'idle'],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => [
    ...indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
    ...versionViolations(world.dataDir),
  ],
});
