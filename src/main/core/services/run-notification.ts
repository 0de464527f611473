import { formatCount as count, plural } from '../../../shared/counted';
import type { NotificationLevel } from '../store/events.repo';
import type { StoredDocument } from '../store/documents.repo';
import type { SyncLog } from '../store/sync-logs.repo';

/** How many failed files a notification names before "and N more". */
const NAMED_FILES = 3;

/**
 * The notification a finished run deserves, or null when it changed nothing
 * and nothing failed (ten quiet syncs make no ten notifications). Failures
 * are named by file, never by an internal id.
 */
export function describeRunOutcome(
  connectorName: string,
  run: SyncLog,
  failedDocs: ReadonlyArray<Pick<StoredDocument, 'title'>>,
): { level: NotificationLevel; title: string; message: string } | null {
  const changed = run.documentsSynced + run.documentsUpdated + run.documentsDeleted;
  const failed = run.documentsFailed;
  // A sync that failed outright was announced when it failed.
  if (run.status === 'failed' && changed === 0 && failed === 0) return null;
  if (changed === 0 && failed === 0) return null;
  const parts: string[] = [];
  if (run.documentsSynced) parts.push(`${count(run.documentsSynced)} new`);
  if (run.documentsUpdated) parts.push(`${count(run.documentsUpdated)} updated`);
  if (run.documentsDeleted) parts.push(`${count(run.documentsDeleted)} removed`);
  const changes = parts.join(', ');
  if (failed === 0) {
    // A run that only removed documents indexed nothing: say what search no longer finds.
    const indexed = run.documentsSynced + run.documentsUpdated > 0;
    const message = indexed ? 'Indexed and searchable.' : 'No longer in the source, so no longer in search results.';
    // Files it could not read as text are no failure, but a person counting files should learn of them.
    const skipped = run.documentsSkipped
      ? ` ${plural(run.documentsSkipped, 'file')} skipped; Activity › Failed and skipped files says why.`
      : '';
    return { level: 'success', title: `${connectorName}: ${changes}`, message: message + skipped };
  }
  const names = failedDocs.slice(0, NAMED_FILES).map((d) => `“${d.title}”`);
  const more = failed - names.length;
  const named = names.join(', ') + (more > 0 ? ` and ${count(more)} more` : '');
  return {
    level: 'error',
    title: `${connectorName}: ${plural(failed, 'file')} could not be indexed`,
    message: `Could not index ${named}.${changes ? ` Also ${changes}.` : ''}`,
  };
}
