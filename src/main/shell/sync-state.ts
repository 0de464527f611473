import type { JobCounts, StorageStatusView } from '../../shared/contract';
import { plural } from '../../shared/counted';

/** One line for the tray tooltip: what the person wants to know at a glance. */
export function syncStateLabel(
  counts: Pick<JobCounts, 'queued' | 'running' | 'failed'>,
  storage?: Pick<StorageStatusView, 'status'>,
): string {
  // A full or failing disk explains everything else (nothing moves until it is fixed).
  if (storage?.status === 'full') return 'Trove: paused, the disk holding its data is full';
  if (storage?.status === 'io') return 'Trove: paused, the disk holding its data reports errors';
  if (counts.running + counts.queued > 0) return `Trove: syncing (${counts.running} running, ${counts.queued} queued)`;
  if (counts.failed > 0) return `Trove: ${plural(counts.failed, 'failed job')}`;
  return 'Trove: up to date';
}
