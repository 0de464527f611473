import type { CommandOutput } from '../shared/contract';
import { formatCount, plural } from './ui/format';

/** The sidebar's one line: what Trove is doing, in documents, or that it is up to date. */
export function describeOverview(overview: CommandOutput<'activityOverview'> | null): {
  tone: 'busy' | 'bad' | 'ok' | 'idle';
  text: string;
} {
  if (!overview) return { tone: 'idle', text: 'Checking…' };
  const [run, ...others] = overview.runs;
  if (run) {
    const more = others.length > 0 ? ` (+${others.length} more)` : '';
    if (run.phase === 'syncing') {
      const reading =
        run.examineTotal !== null
          ? `: reading ${formatCount(run.examined)} of ${plural(run.examineTotal, 'file')}`
          : '';
      return { tone: 'busy', text: `Syncing ${run.connectorName}${reading}${more}` };
    }
    const indexed = overview.runs.reduce((n, r) => n + r.indexed, 0);
    const total = overview.runs.reduce((n, r) => n + r.toIndex, 0);
    return {
      tone: 'busy',
      text: `Indexing ${run.connectorName}: ${formatCount(indexed)} of ${plural(total, 'document')}${more}`,
    };
  }
  if (overview.queuedSyncs.length > 0)
    return { tone: 'busy', text: `Sync of ${overview.queuedSyncs[0]!.connectorName} queued` };
  if (overview.updatingDocuments > 0) {
    // The one being processed right now counts as waiting: it is part of the same update.
    const updating = overview.updatingDocuments + overview.waitingDocuments;
    return { tone: 'busy', text: `Updating ${plural(updating, 'document')} to this version of Trove` };
  }
  if (overview.waitingDocuments > 0) {
    return { tone: 'busy', text: `${plural(overview.waitingDocuments, 'document')} waiting to be indexed` };
  }
  if (overview.scansBeingRead > 0) {
    const n = overview.scansBeingRead;
    return {
      tone: 'busy',
      text: `Reading the text of ${plural(n, 'scanned document')}`,
    };
  }
  if (overview.otherJobs > 0) return { tone: 'busy', text: 'Background upkeep…' };
  if (overview.leftDocuments > 0) {
    // Nothing is working on them (no busy tone, no polling): a cancelled run left them for the next sync.
    const n = overview.leftDocuments;
    return {
      tone: 'idle',
      text: `${plural(n, 'document')} not indexed yet: the next sync indexes ${n === 1 ? 'it' : 'them'}`,
    };
  }
  if (overview.failedDocuments > 0) {
    return {
      tone: 'bad',
      text: `Up to date · ${plural(overview.failedDocuments, 'document')} failed`,
    };
  }
  return { tone: 'ok', text: 'Up to date' };
}
