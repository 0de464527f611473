import type { JobCounts } from '../../shared/contract';

/** One line for the tray tooltip: what the person wants to know at a glance. */
export function syncStateLabel(counts: Pick<JobCounts, 'queued' | 'running' | 'failed'>): string {
  if (counts.running + counts.queued > 0) return `Trove: syncing (${counts.running} running, ${counts.queued} queued)`;
  if (counts.failed > 0) return `Trove: ${counts.failed} failed job${counts.failed === 1 ? '' : 's'}`;
  return 'Trove: up to date';
}
