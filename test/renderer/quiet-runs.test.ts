import { describe, expect, it } from 'vitest';
import type { SyncLogSummary } from '../../src/shared/contract';
import { foldQuietRuns, sourcesOf } from '../../src/renderer/runs/quiet-runs';

let next = 0;
/** A finished, successful run that changed nothing, with `over` changed. */
function run(over: Partial<SyncLogSummary> = {}): SyncLogSummary {
  next++;
  return {
    id: `run-${next}`,
    connectorId: 'c1',
    connectorName: 'Notes',
    jobId: null,
    syncType: 'manual',
    fullSync: false,
    startedAt: 1_700_000_000_000 - next * 1000,
    completedAt: 1_700_000_000_500 - next * 1000,
    durationMs: 500,
    status: 'success',
    stopped: false,
    documentsSynced: 0,
    documentsUpdated: 0,
    documentsFailed: 0,
    documentsDeleted: 0,
    documentsSkipped: 0,
    errorMessage: null,
    apiCallsMade: 0,
    bytesTransferred: 0,
    phase: 'done',
    kindLabel: 'Sync',
    syncDurationMs: 400,
    indexingDurationMs: 100,
    documentsToIndex: 0,
    documentsExamined: 12,
    progress: null,
    ...over,
  };
}

const shape = (rows: ReturnType<typeof foldQuietRuns>) =>
  rows.map((r) => (r.kind === 'run' ? r.run.id : r.runs.map((x) => x.id)));

describe('recently finished runs', () => {
  it('fold each stretch of runs that found nothing into one row, between the runs that did something', () => {
    const runs = [
      run(),
      run(),
      run({ documentsSynced: 2 }),
      run(),
      run({ documentsFailed: 1, status: 'partial' }),
      run(),
      run(),
      run(),
    ];
    const ids = runs.map((r) => r.id);
    expect(shape(foldQuietRuns(runs, 10))).toEqual([
      [ids[0], ids[1]],
      ids[2],
      ids[3],
      ids[4],
      [ids[5], ids[6], ids[7]],
    ]);
  });

  it('count as work a run that removed, skipped or only indexed what a cancelled run left, and a stopped one', () => {
    const runs = [
      run(),
      run({ documentsDeleted: 1 }),
      run(),
      run({ documentsSkipped: 3 }),
      run(),
      run({ documentsToIndex: 40 }),
      run(),
      run({ status: 'failed', stopped: true }),
      run(),
    ];
    expect(foldQuietRuns(runs, 20).every((r) => r.kind === 'run')).toBe(true);
  });

  it('show at most the rows asked for, counting a folded stretch as one', () => {
    const runs = [
      ...Array.from({ length: 30 }, () => run()),
      run({ documentsUpdated: 1 }),
      run({ documentsUpdated: 1 }),
    ];
    const rows = foldQuietRuns(runs, 2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ kind: 'quiet' });
    expect(rows[0]!.kind === 'quiet' && rows[0]!.runs).toHaveLength(30);
    expect(rows[1]).toMatchObject({ kind: 'run', run: { documentsUpdated: 1 } });
  });
});

describe('sourcesOf', () => {
  it('names each source once, and past three says how many more', () => {
    const named = (...names: string[]) => sourcesOf(names.map((connectorName) => run({ connectorName })));
    expect(named('Notes', 'html', 'Notes')).toBe('Notes, html');
    expect(named('a', 'b', 'c')).toBe('a, b, c');
    expect(named('a', 'b', 'c', 'd', 'a', 'e')).toBe('a, b, c and 2 more');
  });
});
