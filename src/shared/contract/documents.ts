import { z } from 'zod';
import { command, ConnectorType, Count, DocumentStatus, Id, JobStatus, Timestamp } from './common';

/**
 * OCR of a document's scanned pages or image frames. The document is
 * searchable by its text layer first; OCR text is added when every page is read.
 */
export const DocumentOcr = z.object({
  /** `pending`: waiting for OCR or being read (its job's progress says "OCR page 3 of 12"); `done`: the text is indexed; `failed`: OCR could not run (`message` says why). */
  state: z.enum(['pending', 'done', 'failed']),
  /** Pages (or image frames) that need OCR. */
  pagesTotal: Count,
  /** Of those, pages read so far. */
  pagesDone: Count,
  /** Pages read with a confidence below the floor (Settings): kept out of the index rather than indexed as noise. */
  lowConfidencePages: z.array(z.object({ page: z.number().int().positive(), confidence: z.number().min(0).max(100) })),
  /** Pages that could not be read at all (damaged, too slow, too large). */
  failedPages: z.array(z.number().int().positive()),
  /** Mean confidence (0-100) of the pages indexed; null before any. */
  meanConfidence: z.number().min(0).max(100).nullable(),
  /** One sentence for people when something needs attention (low-confidence or failed pages); null otherwise. */
  message: z.string().nullable(),
});
export type DocumentOcr = z.infer<typeof DocumentOcr>;

export const DocumentSummary = z.object({
  id: Id,
  connectorId: Id,
  connectorType: ConnectorType,
  title: z.string(),
  mimeType: z.string().nullable(),
  /** An http(s) link or an absolute file path that opens the original. */
  sourceUrl: z.string().nullable(),
  status: DocumentStatus,
  /** Why the document failed or was skipped, written for a person. */
  error: z.string().nullable(),
  sizeBytes: Count.nullable(),
  sourceModifiedAt: Timestamp.nullable(),
  chunkCount: Count,
  updatedAt: Timestamp,
  /** OCR of its scanned pages or image frames; absent (or null) when it has none. */
  ocr: DocumentOcr.nullable().optional(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const DocumentDetail = DocumentSummary.extend({
  metadata: z.record(z.string(), z.unknown()),
  processedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});

export const JobSummary = z.object({
  id: Id,
  type: z.string(),
  status: JobStatus,
  /** A short human label, e.g. "Sync Notes (full)" or "Process report.pdf". */
  label: z.string(),
  connectorId: Id.nullable(),
  documentId: Id.nullable(),
  /** 0..1 when known. */
  progress: z.number().min(0).max(1).nullable(),
  progressMessage: z.string().nullable(),
  attempts: Count,
  maxAttempts: Count,
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  runAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobCounts = z.object({ queued: Count, running: Count, succeeded: Count, failed: Count, cancelled: Count });
export type JobCounts = z.infer<typeof JobCounts>;

const Limit = (def: number, max: number) => z.number().int().min(1).max(max).default(def);

export const documentCommands = {
  listDocuments: command({
    summary: 'Documents, newest change first, filtered by connector, status and title.',
    input: z.object({
      connectorId: Id.optional(),
      status: z.array(DocumentStatus).min(1).optional(),
      /** Case-insensitive substring of the title. */
      titleContains: z.string().max(200).optional(),
      /** Only documents changed at or after this time (the Import screen's "this import"). */
      updatedSince: Timestamp.optional(),
      limit: Limit(50, 500),
      offset: Count.default(0),
    }),
    output: z.object({ items: z.array(DocumentSummary), total: Count }),
  }),
  getDocument: command({
    summary: 'One document with its metadata.',
    input: z.object({ documentId: Id }),
    output: z.object({ document: DocumentDetail }),
  }),
};

export const jobCommands = {
  listJobs: command({
    summary: 'Jobs by status and type, newest first.',
    input: z.object({
      status: z.array(JobStatus).min(1).optional(),
      type: z.string().max(100).optional(),
      connectorId: Id.optional(),
      limit: Limit(100, 1000),
    }),
    output: z.object({ items: z.array(JobSummary) }),
  }),
  jobCounts: command({ summary: 'How many jobs are in each status.', input: z.object({}).strict(), output: JobCounts }),
  retryJob: command({
    summary: 'Queue a failed or cancelled job again.',
    input: z.object({ jobId: Id }),
    output: z.object({ job: JobSummary }),
  }),
  cancelJob: command({
    summary: 'Cancel a queued or running job.',
    input: z.object({ jobId: Id }),
    output: z.object({ job: JobSummary }),
  }),
};
