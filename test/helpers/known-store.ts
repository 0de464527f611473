import type {
  Connector,
  KnownDocument,
  SyncBatch,
  SyncOptions,
  SyncResult,
  SyncStats,
} from '../../src/main/core/connectors/types';

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

  /** Takes one batch as the handler would before asking for the next; subclasses may also load it. */
  async receive(batch: SyncBatch): Promise<void> {
    this.apply(batch);
  }
}

/** Runs one sync of `connector` against `store` to its end, as sync_connector would, batch by batch. */
export async function runSync(
  connector: Connector,
  store: KnownStore,
  mode: SyncOptions['mode'],
  extra: Partial<SyncOptions> = {},
): Promise<{ batches: SyncBatch[]; result: SyncResult; stats: SyncStats }> {
  const stats: SyncStats = { apiCalls: 0, bytesTransferred: 0 };
  const generator = connector.sync({
    mode,
    cursor: store.cursor,
    signal: new AbortController().signal,
    known: store.known,
    progress: () => {},
    stats,
    ...extra,
  });
  const batches: SyncBatch[] = [];
  for (;;) {
    const step = await generator.next();
    if (step.done) {
      store.cursor = step.value.cursor;
      return { batches, result: step.value, stats };
    }
    batches.push(step.value);
    await store.receive(step.value);
  }
}

export const upsertIds = (batches: SyncBatch[]): string[] => batches.flatMap((b) => b.upserts.map((d) => d.externalId));
export const deletionIds = (batches: SyncBatch[]): string[] => batches.flatMap((b) => b.deletions);
