import type { Database } from 'better-sqlite3';
import { fromJson } from '../store/json';
import { prepareJobStatements } from './sqlite-job-statements';
import type {
  AttemptOutcome,
  ClaimRequest,
  ClaimedJob,
  InsertOutcome,
  JobStore,
  Lease,
  LeaseState,
  NewJob,
  RecoveredJob,
  RequeueOutcome,
} from './job-store';
import {
  JOB_STATUSES,
  type CancelOutcome,
  type JobCounts,
  type JobErrorEntry,
  type JobRecord,
  type JobStatus,
  type ListJobsQuery,
  type StatusCounts,
} from './types';
import { writeTransaction } from '../db/write-transaction';

interface JobRow {
  id: string;
  type: string;
  payload: string;
  status: JobStatus;
  priority: number;
  run_at: number;
  attempts: number;
  max_attempts: number;
  job_key: string | null;
  serial_key: string | null;
  locked_by: string | null;
  locked_until: number | null;
  cancel_requested: number;
  progress: number | null;
  progress_message: string | null;
  last_error: string | null;
  error_history: string;
  result: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

interface CandidateRow {
  id: string;
  type: string;
  serial_key: string | null;
  priority: number;
  run_at: number;
  seq: number;
}

/** The claim order: priority first, then due time, then insertion. */
const claimOrder = (a: CandidateRow, b: CandidateRow): number =>
  b.priority - a.priority || a.run_at - b.run_at || a.seq - b.seq;

const MAX_LIST_LIMIT = 1000;

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    type: row.type,
    payload: fromJson<unknown>(row.payload, null),
    status: row.status,
    priority: row.priority,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    key: row.job_key,
    serialKey: row.serial_key,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    cancelRequested: row.cancel_requested === 1,
    progress: row.progress,
    progressMessage: row.progress_message,
    lastError: row.last_error,
    errorHistory: fromJson<JobErrorEntry[]>(row.error_history, []),
    result: fromJson<unknown>(row.result, null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

const emptyStatusCounts = (): StatusCounts =>
  Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as StatusCounts;

/**
 * `JobStore` over the `jobs` table of migration 1, with prepared statements.
 * Use the same connection as the code that enqueues, so `insert` joins the
 * caller's transaction.
 */
export class SqliteJobStore implements JobStore {
  private readonly stmts: ReturnType<typeof prepareJobStatements>;
  private readonly claimTx: (request: ClaimRequest) => ClaimedJob[];
  private readonly insertTx: (jobs: readonly NewJob[]) => InsertOutcome[];

  constructor(private readonly db: Database) {
    this.stmts = prepareJobStatements(db);

    this.insertTx = writeTransaction(db, (jobs: readonly NewJob[]) => jobs.map((job) => this.insertOne(job)));

    this.claimTx = writeTransaction(db, (request: ClaimRequest) => this.claimInTransaction(request));
  }

  insert(jobs: readonly NewJob[]): InsertOutcome[] {
    const [only] = jobs;
    if (jobs.length === 1 && only) return [this.insertOne(only)];
    return this.insertTx(jobs);
  }

  private insertOne(job: NewJob): InsertOutcome {
    const inserted = this.stmts.insert.get(job) as { id: string } | undefined;
    if (inserted) return { id: inserted.id, deduplicated: false };
    // The only conflict target is the live-key index, so a key exists here.
    const existing = this.stmts.liveByKey.get(job.key) as { id: string };
    return { id: existing.id, deduplicated: true };
  }

  claim(request: ClaimRequest): ClaimedJob[] {
    // A plain read first, so an idle poll never takes the write lock.
    if (request.limit <= 0 || this.stmts.anyDue.get(request.now) === undefined) return [];
    return this.claimTx(request);
  }

  private claimInTransaction(request: ClaimRequest): ClaimedJob[] {
    const chosen: string[] = [];
    const chosenIds = new Set<string>();
    const typeSlots = new Map(request.typeSlots);
    const takenKeys = new Set<string>();
    /** Takes the candidate if its type has room and its serial key is free; false if it had to pass it over. */
    const take = (candidate: CandidateRow): boolean => {
      if (chosenIds.has(candidate.id)) return true;
      const free = typeSlots.get(candidate.type);
      if ((free !== undefined && free <= 0) || (candidate.serial_key !== null && takenKeys.has(candidate.serial_key))) {
        return false;
      }
      chosen.push(candidate.id);
      chosenIds.add(candidate.id);
      if (free !== undefined) typeSlots.set(candidate.type, free - 1);
      if (candidate.serial_key !== null) takenKeys.add(candidate.serial_key);
      return true;
    };
    // Over-fetch a little so a page with a few passed-over rows still fills the slots.
    const pageSize = request.limit + 8;
    // The common case: due jobs in global priority order.
    const firstPage = this.stmts.candidates.all({ now: request.now, pageSize }) as CandidateRow[];
    let passedOver = false;
    for (const candidate of firstPage) {
      if (chosen.length >= request.limit) break;
      if (!take(candidate)) passedOver = true;
    }
    let morePages = firstPage.length === pageSize && passedOver;
    // Slots remain but the page held jobs of full types or picked serial keys:
    // walking on in global order could pass over thousands of such rows, so
    // read the head of each queued type that still has room instead.
    while (chosen.length < request.limit && morePages) {
      const types = (this.stmts.queuedTypes.all() as string[]).filter((type) => (typeSlots.get(type) ?? 1) > 0);
      const keys = JSON.stringify([...takenKeys]);
      const pages = types.map(
        (type) =>
          this.stmts.candidatesOfType.all({ type, now: request.now, takenKeys: keys, pageSize }) as CandidateRow[],
      );
      const before = chosen.length;
      passedOver = false;
      for (const candidate of pages.flat().sort(claimOrder)) {
        if (chosen.length >= request.limit) break;
        if (!take(candidate)) passedOver = true;
      }
      // Another round only helps if a full page passed rows over and this one made progress.
      morePages = chosen.length > before && passedOver && pages.some((page) => page.length === pageSize);
    }
    if (chosen.length === 0) return [];
    const rows = this.stmts.claimMany.all({
      ids: JSON.stringify(chosen),
      workerId: request.workerId,
      lockedUntil: request.lockedUntil,
      now: request.now,
    }) as { id: string; type: string; payload: string; attempts: number; max_attempts: number; created_at: number }[];
    // RETURNING has no defined order: start jobs in the order they were chosen.
    const byId = new Map(rows.map((row) => [row.id, row]));
    return chosen.flatMap((id) => {
      const row = byId.get(id);
      return row
        ? [
            {
              id,
              type: row.type,
              payload: row.payload,
              attempt: row.attempts,
              maxAttempts: row.max_attempts,
              createdAt: row.created_at,
            },
          ]
        : [];
    });
  }

  hasLiveJobs(types?: readonly string[]): boolean {
    const row = types ? this.stmts.anyLiveOfTypes.get(JSON.stringify(types)) : this.stmts.anyLive.get();
    return row !== undefined;
  }

  renewLease(lease: Lease, lockedUntil: number, now: number): LeaseState {
    const row = this.stmts.renew.get({ ...lease, lockedUntil, now }) as { cancel_requested: number } | undefined;
    if (!row) return 'lost';
    return row.cancel_requested === 1 ? 'cancel_requested' : 'held';
  }

  setProgress(lease: Lease, progress: number, message: string | null, now: number): boolean {
    return this.stmts.progress.run({ ...lease, progress, message, now }).changes === 1;
  }

  finish(lease: Lease, outcome: AttemptOutcome, now: number): JobStatus | undefined {
    const base = { ...lease, now };
    let row: unknown;
    switch (outcome.status) {
      case 'succeeded':
        row = this.stmts.succeed.get({ ...base, result: outcome.result });
        break;
      case 'retry':
        row = this.stmts.retry.get({
          ...base,
          runAt: outcome.runAt,
          message: outcome.error.message,
          entry: JSON.stringify(outcome.error),
        });
        break;
      case 'failed':
        row = this.stmts.fail.get({ ...base, message: outcome.error.message, entry: JSON.stringify(outcome.error) });
        break;
      case 'cancelled':
        row = this.stmts.cancelled.get(base);
        break;
      case 'released':
        row = this.stmts.release.get({ ...base, runAt: outcome.runAt ?? now });
        break;
    }
    return (row as { status: JobStatus } | undefined)?.status;
  }

  release(lease: Lease, now: number): JobStatus | undefined {
    return (this.stmts.release.get({ ...lease, now, runAt: now }) as { status: JobStatus } | undefined)?.status;
  }

  recoverExpired(
    now: number,
    liveIds: readonly string[],
    error: Omit<JobErrorEntry, 'attempt' | 'at'>,
    goneHolders: readonly string[] = [],
  ): RecoveredJob[] {
    const rows = this.stmts.recover.all({
      now,
      liveIds: JSON.stringify(liveIds),
      goneHolders: JSON.stringify(goneHolders),
      code: error.code,
      message: error.message,
    }) as {
      id: string;
      type: string;
      status: RecoveredJob['status'];
      attempts: number;
      max_attempts: number;
      run_at: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      status: row.status,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      runAt: row.run_at,
    }));
  }

  runningHolders(): string[] {
    return this.stmts.runningHolders.pluck().all() as string[];
  }

  requestCancel(id: string, now: number): { outcome: CancelOutcome; type: string; attempt: number } | undefined {
    const queued = this.stmts.cancelQueued.get({ id, now }) as { type: string; attempts: number } | undefined;
    if (queued) return { outcome: 'cancelled', type: queued.type, attempt: queued.attempts };
    const running = this.stmts.cancelRunning.get({ id, now }) as { type: string; attempts: number } | undefined;
    if (running) return { outcome: 'cancelling', type: running.type, attempt: running.attempts };
    const row = this.stmts.statusOf.get(id) as { type: string; attempts: number } | undefined;
    return row ? { outcome: 'finished', type: row.type, attempt: row.attempts } : undefined;
  }

  requeue(id: string, now: number): RequeueOutcome {
    let row: { type: string; priority: number; run_at: number } | undefined;
    try {
      row = this.stmts.requeue.get({ id, now }) as typeof row;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return { status: 'key_conflict' };
      throw error;
    }
    if (row) return { status: 'requeued', type: row.type, priority: row.priority, runAt: row.run_at };
    const current = this.stmts.statusOf.get(id) as { status: JobStatus } | undefined;
    return current ? { status: 'not_retryable', current: current.status } : { status: 'not_found' };
  }

  prune(finishedBefore: number, failedBefore: number): number {
    return this.stmts.prune.run({ finishedBefore, failedBefore }).changes;
  }

  existingIds(ids: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set();
    return new Set(this.stmts.existing.all(JSON.stringify(ids)) as string[]);
  }

  nextRunAfter(now: number): number | undefined {
    const next = this.stmts.nextRunAfter.get(now) as number | null;
    return next ?? undefined;
  }

  batch<T>(fn: () => T): T {
    return writeTransaction(this.db, fn)();
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  get(id: string): JobRecord | undefined {
    const row = this.stmts.get.get(id) as JobRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(query: ListJobsQuery): JobRecord[] {
    const statuses = query.status === undefined ? null : JSON.stringify([query.status].flat());
    const limit = Math.min(MAX_LIST_LIMIT, Math.max(1, Math.trunc(query.limit ?? 50)));
    const offset = Math.max(0, Math.trunc(query.offset ?? 0));
    const rows = this.stmts.list.all({ statuses, type: query.type ?? null, limit, offset }) as JobRow[];
    return rows.map(toRecord);
  }

  counts(): JobCounts {
    const byStatus = emptyStatusCounts();
    const byType: Record<string, StatusCounts> = {};
    for (const row of this.stmts.counts.all() as { type: string; status: JobStatus; n: number }[]) {
      byStatus[row.status] += row.n;
      const forType = (byType[row.type] ??= emptyStatusCounts());
      forType[row.status] += row.n;
    }
    return { byStatus, byType };
  }
}
