import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { BOUNDARY_TYPES, CHUNKING_STRATEGIES, STRUCTURE_TYPES } from '../../src/main/core/ingest/types';
import { WEBHOOK_PROCESSING_STATES } from '../../src/main/core/store/webhook-events.repo';
import { ConnectorStatus, ConnectorType, DocumentStatus, JobStatus } from '../../src/shared/contract/common';
import { EmbeddingProvider, NotificationLevel } from '../../src/shared/contract/settings';
import { RunPhase, SyncLogStatus, SyncType } from '../../src/shared/contract/sync-logs';

/**
 * Every text column restricted by a CHECK (... IN (...)) list, with the one
 * list in code it must equal. The schema is read from a freshly migrated
 * database, so a later migration that rebuilds a table is what counts.
 */
const VOCABULARIES: Record<string, readonly (string | number)[]> = {
  'connector_configs.type': ConnectorType.options,
  'connector_configs.status': ConnectorStatus.options,
  'imported_documents.sync_status': DocumentStatus.options,
  'jobs.status': JobStatus.options,
  'connector_sync_logs.sync_type': SyncType.options,
  'connector_sync_logs.status': SyncLogStatus.options,
  'connector_sync_logs.phase': RunPhase.options,
  'embedding_spaces.provider': EmbeddingProvider.options,
  'events.level': NotificationLevel.options,
  'webhook_events.processing_state': WEBHOOK_PROCESSING_STATES,
  'imported_doc_chunks.chunking_strategy': CHUNKING_STRATEGIES,
  'imported_doc_chunks.structure_type': STRUCTURE_TYPES,
  'imported_doc_chunks.boundary_type': BOUNDARY_TYPES,
};

/** `table.column` -> the values of its CHECK (column IN (...)) list. */
function checkLists(): Map<string, (string | number)[]> {
  const db = openDatabase(':memory:');
  const rows = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL`).all() as {
    name: string;
    sql: string;
  }[];
  db.close();
  const lists = new Map<string, (string | number)[]>();
  for (const { name, sql } of rows) {
    for (const match of sql.matchAll(/CHECK\s*\(\s*(\w+)\s+IN\s*\(([^)]*)\)\s*\)/g)) {
      const values = match[2]!.split(',').map((v) => {
        const value = v.trim();
        return value.startsWith("'") ? value.slice(1, -1) : Number(value);
      });
      lists.set(`${name}.${match[1]}`, values);
    }
  }
  return lists;
}

describe('state vocabularies', () => {
  const lists = checkLists();

  it.each(Object.entries(VOCABULARIES))('the CHECK list of %s equals the list in code', (column, values) => {
    expect(lists.get(column)).toEqual([...values]);
  });

  it('every text CHECK list in the schema has its list in code', () => {
    const textColumns = [...lists].filter(([, values]) => values.some((v) => typeof v === 'string'));
    expect(textColumns.map(([column]) => column).sort()).toEqual(Object.keys(VOCABULARIES).sort());
  });
});
