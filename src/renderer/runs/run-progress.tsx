import type { RunProgress } from '../../shared/contract';
import { ProgressBar } from '../ui/components';
import { formatCount, plural } from '../ui/format';

/**
 * What a run is doing, in documents. While the connector reads, the bar is
 * "read of files found" when it listed everything first (local folders), or
 * indeterminate with what it found so far when it cannot know (a provider's
 * change feed); once listing is over the bar is "indexed of total", and that
 * denominator never changes.
 */
export function describeRun(run: RunProgress): { value: number | null; denominator: number | null; text: string } {
  const failed = run.failed > 0 ? ` · ${formatCount(run.failed)} failed` : '';
  if (run.phase === 'syncing') {
    const indexed = run.indexed > 0 ? ` · ${formatCount(run.indexed)} indexed so far` : '';
    if (run.examineTotal !== null && run.examineTotal > 0) {
      // The connector listed everything first: the files to read are known.
      return {
        value: run.examined / run.examineTotal,
        denominator: run.examineTotal,
        text: `Reading ${formatCount(run.examined)} of ${plural(run.examineTotal, 'file')}${indexed}${failed}`,
      };
    }
    return {
      value: null,
      denominator: null,
      text: `Reading: ${plural(run.examined, 'item')} checked${indexed}${failed}`,
    };
  }
  if (run.toIndex === 0) return { value: null, denominator: null, text: `Finishing${failed}` };
  return {
    value: run.indexed / run.toIndex,
    denominator: run.toIndex,
    text: `Indexing ${formatCount(run.indexed)} of ${formatCount(run.toIndex)}${failed}`,
  };
}

export function RunProgressView(props: { run: RunProgress; label: string; testId?: string }) {
  const { value, denominator, text } = describeRun(props.run);
  return (
    <div
      className="run-progress"
      data-testid={props.testId ?? 'run-progress'}
      data-phase={props.run.phase}
      data-indexed={props.run.indexed}
      data-total={props.run.phase === 'syncing' ? '' : props.run.toIndex}
      data-denominator={denominator ?? ''}
      data-pending={props.run.pending}
    >
      <ProgressBar value={value} label={props.label} testId="run-progress-bar" />
      <span className="muted small" data-testid="run-progress-text">
        {text}
      </span>
    </div>
  );
}
