import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { systemClock } from '../clock';
import { databaseFile } from '../data-dir';
import { schemaVersion } from '../db/migrate';
import { MIGRATIONS } from '../db/migrations';
import { openDatabase } from '../db/open';
import type { Logger } from '../logger';
import { SearchService } from '../search/search.service';
import { VectorScanThread } from '../search/vector-scan-thread';
import { ConnectorsRepo } from '../store/connectors.repo';
import { DocumentsRepo } from '../store/documents.repo';
import { QueryEmbedder } from './query-embedder';

/**
 * What the MCP server reads: the library's database opened READ-ONLY, the
 * repositories and the search service over it, and the local model for
 * search by meaning. Deliberately not the core of app.ts: no job queue (the
 * desktop app may be running its own on the same data folder; SQLite's WAL
 * lets both read and write side by side), no folder watchers, no relay, no
 * keychain. A read-only connection also makes "no tool can change anything"
 * a property of SQLite, not only of the code.
 */
export interface Library {
  readonly dataDir: string;
  readonly db: Database;
  readonly documents: DocumentsRepo;
  readonly connectors: ConnectorsRepo;
  readonly search: SearchService;
  readonly embedder: QueryEmbedder;
  close(): Promise<void>;
}

export function openLibrary(options: { dataDir: string; logger: Logger; modelHubUrl?: string }): Library {
  const file = databaseFile(options.dataDir);
  if (!existsSync(file)) {
    throw new AppError(
      'NOT_FOUND',
      `No Trove library in ${options.dataDir}. Index something first (the desktop app, or \`trove add-folder <dir>\`), or pass --data-dir.`,
    );
  }
  const db = openDatabase(file, { readonly: true, migrate: false });
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  const version = schemaVersion(db);
  if (version !== latest) {
    db.close();
    throw new AppError(
      'CONFLICT',
      version < latest
        ? `The library in ${options.dataDir} is from an older Trove (schema ${version}, this one knows ${latest}). Run any trove command or open the app once to upgrade it.`
        : `The library in ${options.dataDir} was written by a newer Trove (schema ${version}). Update Trove.`,
    );
  }
  const clock = systemClock;
  const embedder = new QueryEmbedder({ db, dataDir: options.dataDir, logger: options.logger });
  const vectorScan = new VectorScanThread(file, options.logger);
  const search = new SearchService({
    db,
    clock,
    logger: options.logger,
    getEmbedder: () => embedder.current(),
    vectorScan,
  });
  return {
    dataDir: options.dataDir,
    db,
    documents: new DocumentsRepo(db, clock),
    connectors: new ConnectorsRepo(db, clock),
    search,
    embedder,
    async close() {
      await embedder.close();
      await vectorScan.close();
      db.close();
    },
  };
}
