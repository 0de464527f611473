/**
 * The job types of Trove and their payloads: the typed job map the queue is
 * created with (see handlers/index.ts for their handlers). Enqueueing a job
 * and reading one back both go through these schemas, so no caller casts a
 * payload.
 */
import { z } from 'zod';
import type { JobRecord } from './queue/types';
import { SYNC_TYPES } from './store/sync-logs.repo';

export const syncConnectorPayloadSchema = z.object({
  connectorId: z.string().min(1),
  mode: z.enum(['full', 'incremental']).default('incremental'),
  syncType: z.enum(SYNC_TYPES).default('manual'),
  /** Restrict to these external ids (webhooks). */
  onlyExternalIds: z.array(z.string()).optional(),
  limit: z.number().int().positive().optional(),
  /** An import of new paths: scan only these (see SyncOptions.roots). */
  roots: z.array(z.string()).optional(),
  /** A retry: read these again even if they look unchanged (they failed before). */
  reread: z.array(z.string()).optional(),
  /** Asked for because Trove's parsers were updated (services/reread-upgrade.ts): the run says so. */
  afterUpdate: z.boolean().optional(),
  /** A folder read at start-up for what changed while nothing watched it (connector-follower.ts): the run says so. */
  atStart: z.boolean().optional(),
});
export type SyncConnectorPayload = z.infer<typeof syncConnectorPayloadSchema>;

export const processImportedDocPayloadSchema = z.object({
  documentId: z.string().min(1),
  connectorId: z.string().optional(),
});
export type ProcessImportedDocPayload = z.infer<typeof processImportedDocPayloadSchema>;

export const processWebhookPayloadSchema = z.object({
  webhookEventId: z.string().min(1),
  connectorId: z.string().min(1),
});
export type ProcessWebhookPayload = z.infer<typeof processWebhookPayloadSchema>;

export const ocrDocumentPayloadSchema = z.object({
  documentId: z.string().min(1),
  /** The source version the OCR is for: a document changed since is left to its own OCR job. */
  contentHash: z.string().min(1),
});
export type OcrDocumentPayload = z.infer<typeof ocrDocumentPayloadSchema>;

export const embedBacklogPayloadSchema = z.object({ spaceId: z.number().int().positive() });
export type EmbedBacklogPayload = z.infer<typeof embedBacklogPayloadSchema>;

export const maintainSearchIndexPayloadSchema = z.object({});

export const sketchBacklogPayloadSchema = z.object({});

const schemas = {
  sync_connector: syncConnectorPayloadSchema,
  process_imported_doc: processImportedDocPayloadSchema,
  process_webhook: processWebhookPayloadSchema,
  ocr_document: ocrDocumentPayloadSchema,
  embed_backlog: embedBacklogPayloadSchema,
  maintain_search_index: maintainSearchIndexPayloadSchema,
  sketch_backlog: sketchBacklogPayloadSchema,
} as const;

export type JobType = keyof typeof schemas;

/** Job type -> what `enqueue` accepts (the schema's input: defaults may be left out). */
export type JobPayloads = { [T in JobType]: z.input<(typeof schemas)[T]> };

/** Job type -> the payload a handler receives (defaults applied). */
export type JobPayloadsParsed = { [T in JobType]: z.output<(typeof schemas)[T]> };

/** Job type -> payload schema (typed per type, so reading a payload back needs no cast). */
export const JOB_PAYLOAD_SCHEMAS: { [T in JobType]: z.ZodType<JobPayloadsParsed[T], JobPayloads[T]> } = schemas;

/**
 * A job row's payload, typed by its job type; null when the job is of another
 * type or its payload does not parse (a row written by a different version).
 */
export function jobPayload<T extends JobType>(
  job: Pick<JobRecord, 'type' | 'payload'> | undefined,
  type: T,
): JobPayloadsParsed[T] | null {
  if (!job || job.type !== type) return null;
  const parsed = JOB_PAYLOAD_SCHEMAS[type].safeParse(job.payload);
  return parsed.success ? parsed.data : null;
}

/** The connector a job works for, if its type names one. */
export function jobConnectorId(job: Pick<JobRecord, 'type' | 'payload'>): string | null {
  return (
    jobPayload(job, 'sync_connector')?.connectorId ??
    jobPayload(job, 'process_webhook')?.connectorId ??
    jobPayload(job, 'process_imported_doc')?.connectorId ??
    null
  );
}

/** The document a job works on, if its type names one. */
export function jobDocumentId(job: Pick<JobRecord, 'type' | 'payload'>): string | null {
  return jobPayload(job, 'process_imported_doc')?.documentId ?? jobPayload(job, 'ocr_document')?.documentId ?? null;
}
