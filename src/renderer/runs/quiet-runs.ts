import type { SyncLogSummary } from '../../shared/contract';
import { formatCount } from '../ui/format';

/** One row of the recently finished runs: a run, or runs in a row that found nothing. */
export type FinishedRow = { kind: 'run'; run: SyncLogSummary } | { kind: 'quiet'; runs: SyncLogSummary[] };

/**
 * A run that ended well and indexed, changed, skipped and failed nothing: the
 * check at start, a sync with no news. One that only indexed what an earlier,
 * cancelled run left (documentsToIndex) did work, and is not quiet.
 */
export function isQuietRun(run: SyncLogSummary): boolean {
  return (
    run.phase === 'done' &&
    run.status === 'success' &&
    run.documentsToIndex +
      run.documentsSynced +
      run.documentsUpdated +
      run.documentsDeleted +
      run.documentsSkipped +
      run.documentsFailed ===
      0
  );
}

/**
 * Finished runs, newest first, with each stretch of two or more quiet runs
 * in one row. Every start checks each folder, and every "Sync now" that
 * finds nothing adds a run: listed one by one, they pushed the runs that
 * indexed or failed something out of the list. At most `rows` rows.
 */
export function foldQuietRuns(runs: readonly SyncLogSummary[], rows: number): FinishedRow[] {
  const out: FinishedRow[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (!isQuietRun(run)) out.push({ kind: 'run', run });
    else if (last?.kind === 'quiet') last.runs.push(run);
    else if (last?.kind === 'run' && isQuietRun(last.run))
      out[out.length - 1] = { kind: 'quiet', runs: [last.run, run] };
    else out.push({ kind: 'run', run });
  }
  return out.slice(0, rows);
}

/** The sources of `runs`, named once each: "html, notes", "a, b, c and 2 more". */
export function sourcesOf(runs: readonly SyncLogSummary[]): string {
  const sources = [...new Set(runs.map((r) => r.connectorName))];
  return sources.length <= 3 ? sources.join(', ') : `${sources.slice(0, 3).join(', ')} and ${sources.length - 3} more`;
}

/** What a row of runs that found nothing says, on Activity and in Sync history alike. */
export function quietRunsTitle(runs: readonly SyncLogSummary[]): string {
  return `${formatCount(runs.length)} syncs found nothing new`;
}
