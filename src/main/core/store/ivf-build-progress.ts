import { formatCount } from '../../../shared/counted';
import type { IvfBuildProgress } from './ivf-index';

/**
 * Each stage's share of a build's time, from bench:search-speed (2 cores):
 * at a million vectors the copy took ~30%, k-means ~8%, sorting into lists
 * ~50% and the bit table's writes ~6%; at 100,000 the k-means share is
 * larger (~20%). A fraction that moves at a steady pace is what matters,
 * not its exact value.
 */
const STAGE_SPAN: Record<IvfBuildProgress['stage'], [from: number, to: number]> = {
  copy: [0, 0.3],
  train: [0.3, 0.4],
  assign: [0.4, 0.9],
  write: [0.9, 0.98],
  switch: [0.98, 1],
};

/** A fast-search index build's progress as the job's fraction and message. */
export function describeIvfBuild(progress: IvfBuildProgress): { fraction: number; message: string } {
  const [from, to] = STAGE_SPAN[progress.stage];
  const share = progress.total ? Math.min(1, progress.done / progress.total) : 0;
  return { fraction: from + (to - from) * share, message: stageMessage(progress) };
}

function stageMessage({ stage, done, total }: IvfBuildProgress): string {
  const ofTotal = total === null ? formatCount(done) : `${formatCount(done)} of ${formatCount(total)}`;
  switch (stage) {
    case 'copy':
      return `Building the fast-search index: copying vectors, ${ofTotal}`;
    case 'train':
      return `Building the fast-search index: finding ${formatCount(total ?? 0)} groups of similar passages`;
    case 'assign':
      return `Building the fast-search index: grouping vectors, ${ofTotal}`;
    case 'write':
      return `Building the fast-search index: writing it, ${ofTotal}`;
    case 'switch':
      return 'Building the fast-search index: switching search to it';
  }
}
