import { z } from 'zod';
import { command, ConnectorType, Count, DocumentStatus, Id, JobStatus, Timestamp } from './common';
import { RunProgress } from './sync-logs';

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
  /** What a person should know about a document indexed in part: a damaged file and the pages it still holds. */
  notice: z.string().nullable().optional(),
  /** Where the file is on this machine (local folders and imports), for people to recognise it. */
  path: z.string().nullable(),
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
  /** A short human label, e.g. "Sync Notes (full)" or "Index report.pdf". */
  label: z.string(),
  /** What kind of work, for people: "Sync", "Indexing", "Re-embedding"… (never an internal job name). */
  kindLabel: z.string(),
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
      /** Only documents changed at or after this time. */
      updatedSince: Timestamp.optional(),
      /** Only the documents of this run (queued, failed or skipped by it). */
      syncLogId: Id.optional(),
      /** Only what needs a look: failed or skipped documents, and those indexed in part (a file cut short). */
      problems: z.boolean().optional(),
      /** Sort: newest change first (default), or by title, size or status. */
      sort: z.enum(['updated', 'title', 'size', 'status']).default('updated'),
      limit: Limit(50, 500),
      offset: Count.default(0),
    }),
    output: z.object({ items: z.array(DocumentSummary), total: Count }),
  }),
  retryDocuments: command({
    summary:
      'Index failed documents again: given ones, or every failed one of a connector or run. Text already read is indexed again; a file that could not be read is read again by a sync.',
    input: z
      .object({
        documentIds: z.array(Id).min(1).max(10_000).optional(),
        connectorId: Id.optional(),
        syncLogId: Id.optional(),
      })
      .refine((v) => v.documentIds || v.connectorId || v.syncLogId, 'name documents, a connector or a run'),
    output: z.object({
      /** Documents queued for indexing again (in run `syncLogId`). */
      reindexed: Count,
      /** Documents to be read again by a sync of their connector. */
      reread: Count,
      syncLogId: Id.nullable(),
    }),
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
  cancelAllWork: command({
    summary: 'Cancel every queued and running job (syncs, indexing, maintenance).',
    input: z.object({}).strict(),
    output: z.object({ cancelledJobs: Count }),
  }),
  activityOverview: command({
    summary: 'What Trove is doing now, in documents: open runs, queued syncs, documents waiting and failed.',
    input: z.object({}).strict(),
    output: z.object({
      runs: z.array(RunProgress.extend({ connectorName: z.string(), kindLabel: z.string() })),
      queuedSyncs: z.array(z.object({ jobId: Id, connectorId: Id, connectorName: z.string() })),
      /** Documents waiting in the queue to be indexed outside any open run. */
      waitingDocuments: Count,
      /**
       * Documents a cancelled run left unindexed: nothing indexes them until the next sync of their
       * source, which does (or the next start of Trove).
       */
      leftDocuments: Count,
      /**
       * Indexed documents queued to be processed again in the background, after an update of
       * Trove's chunker or parsers; they stay searchable meanwhile.
       */
      updatingDocuments: Count,
      failedDocuments: Count,
      /** Scanned documents whose text OCR is reading (queued or running); they are searchable by their names meanwhile. */
      scansBeingRead: Count,
      /** Other background jobs queued or running (model switch re-embedding, index maintenance, webhooks). */
      otherJobs: Count,
    }),
  }),
};
