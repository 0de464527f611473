/**
 * Migration 2: queued jobs in priority order per type.
 *
 * When a job type is at its concurrency limit, the claim query must find the
 * next job of another type. Walking idx_jobs_queued_order for that passes over
 * every queued job of the full type (10,000 after a big folder sync, ~1 ms per
 * claim, once per finished job); with this index the claim lists the queued
 * types (one seek each) and reads each eligible type's head directly.
 */
export const migration002 = {
  version: 2,
  name: 'queue-type-order',
  sql: /* sql */ `
CREATE INDEX idx_jobs_queued_type_order ON jobs(type, priority DESC, run_at) WHERE status = 'queued';
`,
};
