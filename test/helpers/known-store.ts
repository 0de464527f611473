import type { KnownDocument, SyncBatch, SyncOptions } from '../../src/main/core/connectors/types';

/**
 * Plays the sync_connector handler's part for connector tests, without a
 * database: remembers the documents a sync yielded (and the cursor), and
 * shows them to the next sync as `known`.
 */
export class KnownStore {
  readonly docs = new Map<string, KnownDocument>();
  cursor: unknown = null;

  /** What a connector's sync reads as `options.known`. */
  get known(): SyncOptions['known'] {
    return { get: (id) => this.docs.get(id), ids: () => [...this.docs.keys()] };
  }

  apply(batch: SyncBatch): void {
    for (const doc of batch.upserts) {
      this.docs.set(doc.externalId, {
        externalId: doc.externalId,
        contentHash: doc.contentHash,
        sizeBytes: doc.sizeBytes ?? null,
        modifiedAt: doc.modifiedAt ?? null,
        metadata: doc.metadata,
      });
    }
    for (const id of batch.deletions) this.docs.delete(id);
  }
}
