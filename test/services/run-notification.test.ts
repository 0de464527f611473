import { describe, expect, it } from 'vitest';
import { describeRunOutcome } from '../../src/main/core/services/run-notification';
import { emptySyncCounts, type SyncLog } from '../../src/main/core/store/sync-logs.repo';

/** A finished run of a folder, with the counts given. */
function run(counts: Partial<SyncLog>): SyncLog {
  return {
    id: 'run-1',
    connectorId: 'c1',
    jobId: null,
    syncType: 'manual',
    fullSync: false,
    startedAt: 1_700_000_000_000,
    completedAt: 1_700_000_001_000,
    durationMs: 1000,
    status: 'success',
    errorMessage: null,
    errorDetails: null,
    metadata: {},
    phase: 'done',
    syncCompletedAt: 1_700_000_000_500,
    documentsToIndex: 0,
    documentsExamined: 0,
    ...emptySyncCounts(),
    ...counts,
  };
}

describe('the notification a finished run sends', () => {
  it('says what was indexed, and how many files were skipped and where the reasons are', () => {
    expect(describeRunOutcome('html', run({ documentsSynced: 1058, documentsSkipped: 4 }), [])).toEqual({
      level: 'success',
      title: 'html: 1,058 new',
      message: 'Indexed and searchable. 4 files skipped; Activity › Failed and skipped files says why.',
    });
    expect(describeRunOutcome('notes', run({ documentsUpdated: 2 }), [])?.message).toBe('Indexed and searchable.');
  });

  it('does not claim a run that only removed documents indexed anything', () => {
    expect(describeRunOutcome('notes', run({ documentsDeleted: 1 }), [])).toMatchObject({
      title: 'notes: 1 removed',
      message: 'No longer in the source, so no longer in search results.',
    });
  });

  it('names the files that failed, and stays quiet for a run that changed nothing', () => {
    const failed = describeRunOutcome('notes', run({ status: 'partial', documentsSynced: 3, documentsFailed: 4 }), [
      { title: 'a.pdf' },
      { title: 'b.pdf' },
      { title: 'c.pdf' },
      { title: 'd.pdf' },
    ]);
    expect(failed).toEqual({
      level: 'error',
      title: 'notes: 4 files could not be indexed',
      message: 'Could not index “a.pdf”, “b.pdf”, “c.pdf” and 1 more. Also 3 new.',
    });
    expect(describeRunOutcome('notes', run({ documentsSkipped: 2 }), [])).toBeNull();
  });
});
