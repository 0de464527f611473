/**
 * What every handler is handed and the small ports several handlers share.
 * A handler's own dependencies are the `...Deps` interface beside it.
 */
import type { DocumentContent } from '../connectors/types';
import type { ExtractedText } from '../ingest/extracted-text';
import type { JobContext } from '../queue/types';

/** The second argument of every handler: the queue's JobContext. */
export type HandlerContext = JobContext;

/** Queues process_imported_doc for these documents (keyed, one live job per document); call inside a transaction. */
export type EnqueueProcessing = (documentIds: readonly string[], options?: { priority?: number }) => void;

/** Removes vectors of deleted chunks from every embedding space. */
export type PurgeDeletedVectors = () => void;

/** Turns a downloaded source file into text (parser pool, OCR sources). */
export type ExtractText = (content: DocumentContent, signal: AbortSignal) => Promise<ExtractedText>;
