import { ExpandButton } from '../ui/components';

/** The Show/Hide button that lists the runs a row of runs that found nothing folds (quiet-runs.ts). */
export function QuietRunsToggle(props: { expanded: boolean; onToggle: (expanded: boolean) => void }) {
  return (
    <ExpandButton
      expanded={props.expanded}
      onToggle={props.onToggle}
      testId="quiet-runs-expand"
      labels={['Show', 'Hide']}
    />
  );
}
