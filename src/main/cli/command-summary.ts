import type { DocumentStatus } from '../../shared/contract/common';

type StatusCounts = Record<DocumentStatus, number>;

export interface CommandOutcome {
  /** Documents indexed, skipped, failed or removed while the command ran (DocumentsRepo.outcomesSince). */
  run: { counts: StatusCounts; chunks: number };
  /** The whole library afterwards. */
  library: { counts: StatusCounts; chunks: number };
}

/**
 * The lines a command that indexes ends with. `Done:` counts what happened
 * while it ran, not the library: adding a two-file folder to a library of a
 * thousand documents had said "Done: 1057 indexed", and a sync that found
 * nothing new the same. The library's totals follow when they differ.
 * Work the app did on the same library meanwhile counts too, as the
 * progress bar counts it (DocumentTally): it happened while the command ran.
 */
export function commandSummary({ run, library }: CommandOutcome): string[] {
  const tally = (counts: StatusCounts, chunks: number): string =>
    `${counts.completed} indexed, ${counts.skipped} skipped, ${counts.error} failed, ${plural(chunks, 'chunk')}`;
  const nothing = run.counts.completed + run.counts.skipped + run.counts.error + run.counts.deleted === 0;
  const lines = [`Done: ${tally(run.counts, run.chunks)}${nothing ? ' (nothing new or changed)' : ''}.`];
  if (run.counts.deleted > 0) {
    const its = run.counts.deleted === 1 ? 'its' : 'their';
    lines.push(`Removed: ${plural(run.counts.deleted, 'document')} gone from ${its} source.`);
  }
  const sameAsRun =
    library.chunks === run.chunks &&
    (['completed', 'skipped', 'error'] as const).every((status) => library.counts[status] === run.counts[status]);
  if (!sameAsRun) lines.push(`Library: ${tally(library.counts, library.chunks)} in all.`);
  return lines;
}

/** shared/counted's plural without the thousands separator: scripts read these lines' numbers. */
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
