import type { RunProgress } from '../../shared/contract';
import { ProgressBar } from '../ui/components';
import { formatCount } from '../ui/format';

/**
 * What a run is doing, in documents. While the connector is still listing,
 * the total is unknown, so the bar is indeterminate and says what was found
 * so far; from the moment the total is final the bar is "indexed of total"
 * and its denominator never changes.
 */
export function describeRun(run: RunProgress): { value: number | null; text: string } {
  const failed = run.failed > 0 ? ` · ${formatCount(run.failed)} failed` : '';
  if (run.phase === 'syncing') {
    const indexed = run.indexed > 0 ? ` · ${formatCount(run.indexed)} indexed so far` : '';
    return {
      value: null,
      text: `Reading: ${formatCount(run.examined)} ${run.examined === 1 ? 'item' : 'items'} checked${indexed}${failed}`,
    };
  }
  if (run.toIndex === 0) return { value: null, text: `Finishing${failed}` };
  return {
    value: run.indexed / run.toIndex,
    text: `Indexing ${formatCount(run.indexed)} of ${formatCount(run.toIndex)}${failed}`,
  };
}

export function RunProgressView(props: { run: RunProgress; label: string; testId?: string }) {
  const { value, text } = describeRun(props.run);
  return (
    <div
      className="run-progress"
      data-testid={props.testId ?? 'run-progress'}
      data-phase={props.run.phase}
      data-indexed={props.run.indexed}
      data-total={props.run.phase === 'syncing' ? '' : props.run.toIndex}
      data-pending={props.run.pending}
    >
      <ProgressBar value={value} label={props.label} testId="run-progress-bar" />
      <span className="muted small" data-testid="run-progress-text">
        {text}
      </span>
    </div>
  );
}
