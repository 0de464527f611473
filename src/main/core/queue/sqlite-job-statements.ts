import type { Database } from 'better-sqlite3';

/** The lease guard every attempt-ending statement shares. */
const OWNED = `id = @id AND status = 'running' AND locked_by = @workerId AND attempts = @attempt`;

/** Every statement of `SqliteJobStore`, prepared once per connection. */
export function prepareJobStatements(db: Database) {
  return {
    insert: db.prepare(
      `INSERT INTO jobs (id, type, payload, status, priority, run_at, max_attempts, job_key, serial_key, created_at, updated_at)
       VALUES (@id, @type, @payload, 'queued', @priority, @runAt, @maxAttempts, @key, @serialKey, @now, @now)
       ON CONFLICT (job_key) WHERE job_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING
       RETURNING id`,
    ),
    liveByKey: db.prepare(`SELECT id FROM jobs WHERE job_key = ? AND status IN ('queued', 'running')`),
    // Due jobs in priority order, minus serial keys that are busy (running
    // anywhere). INDEXED BY: left alone, the planner prefers idx_jobs_claim's
    // run_at range and then sorts every queued row on each claim.
    candidates: db.prepare(
      `SELECT id, type, serial_key, priority, run_at, rowid AS seq FROM jobs AS j INDEXED BY idx_jobs_queued_order
       WHERE status = 'queued' AND run_at <= @now
         AND (serial_key IS NULL OR NOT EXISTS (SELECT 1 FROM jobs AS r WHERE r.serial_key = j.serial_key AND r.status = 'running'))
       ORDER BY priority DESC, run_at, rowid
       LIMIT @pageSize`,
    ),
    // The same for one type, minus serial keys already picked in this claim.
    candidatesOfType: db.prepare(
      `SELECT id, type, serial_key, priority, run_at, rowid AS seq FROM jobs AS j INDEXED BY idx_jobs_queued_type_order
       WHERE status = 'queued' AND type = @type AND run_at <= @now
         AND (serial_key IS NULL OR (
           serial_key NOT IN (SELECT value FROM json_each(@takenKeys))
           AND NOT EXISTS (SELECT 1 FROM jobs AS r WHERE r.serial_key = j.serial_key AND r.status = 'running')))
       ORDER BY priority DESC, run_at, rowid
       LIMIT @pageSize`,
    ),
    // Distinct types with queued jobs, one index seek per type (a loose index
    // scan). INDEXED BY: the planner would rather scan idx_jobs_claim's queued rows.
    queuedTypes: db
      .prepare(
        `WITH RECURSIVE t(type) AS (
           SELECT (SELECT min(type) FROM jobs INDEXED BY idx_jobs_queued_type_order WHERE status = 'queued')
           UNION ALL
           SELECT (SELECT min(type) FROM jobs INDEXED BY idx_jobs_queued_type_order WHERE status = 'queued' AND type > t.type)
           FROM t WHERE t.type IS NOT NULL
         )
         SELECT type FROM t WHERE type IS NOT NULL`,
      )
      .pluck(),
    anyLive: db.prepare(`SELECT 1 FROM jobs WHERE status IN ('queued', 'running') LIMIT 1`).pluck(),
    anyLiveOfTypes: db
      .prepare(
        `SELECT 1 FROM jobs WHERE status IN ('queued', 'running') AND type IN (SELECT value FROM json_each(?)) LIMIT 1`,
      )
      .pluck(),
    anyDue: db.prepare(`SELECT 1 FROM jobs WHERE status = 'queued' AND run_at <= ? LIMIT 1`).pluck(),
    // `+status`: keeps the planner on the primary key; an index on status
    // would make each claim scan every queued row.
    claimMany: db.prepare(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = @workerId, locked_until = @lockedUntil,
         started_at = @now, updated_at = @now, progress = NULL, progress_message = NULL
       WHERE id IN (SELECT value FROM json_each(@ids)) AND +status = 'queued'
       RETURNING id, type, payload, attempts, max_attempts, created_at`,
    ),
    renew: db.prepare(
      `UPDATE jobs SET locked_until = @lockedUntil, updated_at = @now WHERE ${OWNED} RETURNING cancel_requested`,
    ),
    progress: db.prepare(
      `UPDATE jobs SET progress = @progress, progress_message = @message, updated_at = @now WHERE ${OWNED}`,
    ),
    succeed: db.prepare(
      `UPDATE jobs SET status = 'succeeded', result = @result, last_error = NULL, locked_by = NULL, locked_until = NULL,
         finished_at = @now, updated_at = @now
       WHERE ${OWNED}
       RETURNING status`,
    ),
    // A cancel requested while the attempt was failing wins over the retry.
    retry: db.prepare(
      `UPDATE jobs SET
         status = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'queued' END,
         finished_at = CASE WHEN cancel_requested = 1 THEN @now ELSE NULL END,
         run_at = @runAt, locked_by = NULL, locked_until = NULL, last_error = @message,
         error_history = json_insert(error_history, '$[#]', json(@entry)), updated_at = @now
       WHERE ${OWNED}
       RETURNING status`,
    ),
    fail: db.prepare(
      `UPDATE jobs SET status = 'failed', locked_by = NULL, locked_until = NULL, last_error = @message,
         error_history = json_insert(error_history, '$[#]', json(@entry)), finished_at = @now, updated_at = @now
       WHERE ${OWNED}
       RETURNING status`,
    ),
    cancelled: db.prepare(
      `UPDATE jobs SET status = 'cancelled', locked_by = NULL, locked_until = NULL, finished_at = @now, updated_at = @now
       WHERE ${OWNED}
       RETURNING status`,
    ),
    // Shutdown, or a full disk: the attempt did not fail, so it is given back.
    release: db.prepare(
      `UPDATE jobs SET
         status = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'queued' END,
         attempts = CASE WHEN cancel_requested = 1 THEN attempts ELSE max(attempts - 1, 0) END,
         finished_at = CASE WHEN cancel_requested = 1 THEN @now ELSE NULL END,
         run_at = @runAt, locked_by = NULL, locked_until = NULL, updated_at = @now
       WHERE ${OWNED}
       RETURNING status`,
    ),
    // SET expressions all see the row as it was before the update.
    recover: db.prepare(
      `UPDATE jobs SET
         status = CASE WHEN cancel_requested = 1 THEN 'cancelled' WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
         finished_at = CASE WHEN cancel_requested = 1 OR attempts >= max_attempts THEN @now ELSE NULL END,
         last_error = CASE WHEN cancel_requested = 1 THEN last_error ELSE @message END,
         error_history = CASE WHEN cancel_requested = 1 THEN error_history
           ELSE json_insert(error_history, '$[#]', json_object('attempt', attempts, 'code', @code, 'message', @message, 'at', @now)) END,
         run_at = @now, locked_by = NULL, locked_until = NULL, updated_at = @now
       WHERE status = 'running'
         AND (locked_until < @now OR locked_by IN (SELECT value FROM json_each(@goneHolders)))
         AND id NOT IN (SELECT value FROM json_each(@liveIds))
       RETURNING id, type, status, attempts, max_attempts, run_at`,
    ),
    runningHolders: db.prepare(
      `SELECT DISTINCT locked_by FROM jobs WHERE status = 'running' AND locked_by IS NOT NULL`,
    ),
    cancelQueued: db.prepare(
      `UPDATE jobs SET status = 'cancelled', finished_at = @now, updated_at = @now
       WHERE id = @id AND status = 'queued' RETURNING type, attempts`,
    ),
    cancelRunning: db.prepare(
      `UPDATE jobs SET cancel_requested = 1, updated_at = @now
       WHERE id = @id AND status = 'running' RETURNING type, attempts`,
    ),
    statusOf: db.prepare(`SELECT type, status, attempts FROM jobs WHERE id = ?`),
    requeue: db.prepare(
      `UPDATE jobs SET status = 'queued', attempts = 0, run_at = @now, cancel_requested = 0, locked_by = NULL,
         locked_until = NULL, progress = NULL, progress_message = NULL, last_error = NULL, result = NULL,
         started_at = NULL, finished_at = NULL, updated_at = @now
       WHERE id = @id AND status IN ('failed', 'cancelled')
       RETURNING type, priority, run_at`,
    ),
    prune: db.prepare(
      `DELETE FROM jobs
       WHERE finished_at IS NOT NULL
         AND ((status IN ('succeeded', 'cancelled') AND finished_at < @finishedBefore)
           OR (status = 'failed' AND finished_at < @failedBefore))`,
    ),
    existing: db.prepare(`SELECT id FROM jobs WHERE id IN (SELECT value FROM json_each(?))`).pluck(),
    nextRunAfter: db.prepare(`SELECT min(run_at) FROM jobs WHERE status = 'queued' AND run_at > ?`).pluck(),
    get: db.prepare(`SELECT * FROM jobs WHERE id = ?`),
    list: db.prepare(
      `SELECT * FROM jobs
       WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
         AND (@type IS NULL OR type = @type)
       ORDER BY created_at DESC, rowid DESC
       LIMIT @limit OFFSET @offset`,
    ),
    counts: db.prepare(`SELECT type, status, count(*) AS n FROM jobs GROUP BY type, status`),
  };
}
