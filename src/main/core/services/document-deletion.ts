import type { Database } from 'better-sqlite3';
import type { DocumentsRepo } from '../store/documents.repo';
import type { VectorsRepo } from '../store/vectors.repo';
import { writeTransaction } from '../db/write-transaction';

/**
 * Removing documents from search: marking them deleted drops their chunks and
 * FTS rows (documents.repo); their vectors, held per embedding space, are
 * purged after the transaction.
 */
export class DocumentDeletion {
  constructor(private readonly deps: { db: Database; documents: DocumentsRepo; vectors: VectorsRepo }) {}

  /** Removes vectors of deleted chunks from every embedding space. */
  purgeDeletedVectors(): void {
    this.deps.vectors.purgeGarbage();
  }

  /** Documents deleted at the source (a webhook said so); returns how many were deleted. */
  deleteBySource(connectorId: string, externalIds: string[]): number {
    const { db, documents } = this.deps;
    const ids = writeTransaction(db, () => documents.markDeleted(connectorId, externalIds))();
    this.purgeDeletedVectors();
    return ids.length;
  }
}
