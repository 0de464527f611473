import { describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../src/shared/contract';
import { describeOverview } from '../../src/renderer/overview-line';

const quiet: CommandOutput<'activityOverview'> = {
  runs: [],
  queuedSyncs: [],
  waitingDocuments: 0,
  leftDocuments: 0,
  updatingDocuments: 0,
  failedDocuments: 0,
  scansBeingRead: 0,
  otherJobs: 0,
};

describe("the sidebar's line", () => {
  it('says an update of indexed documents is under way, counting the one being processed', () => {
    expect(describeOverview({ ...quiet, updatingDocuments: 1233, waitingDocuments: 1 })).toEqual({
      tone: 'busy',
      text: 'Updating 1,234 documents to this version of Trove',
    });
  });

  it('says scans are being read rather than "background upkeep"', () => {
    expect(describeOverview({ ...quiet, scansBeingRead: 1, otherJobs: 2 }).text).toBe(
      'Reading the text of 1 scanned document',
    );
    expect(describeOverview({ ...quiet, scansBeingRead: 3 }).text).toBe('Reading the text of 3 scanned documents');
    expect(describeOverview({ ...quiet, otherJobs: 2 }).text).toBe('Background upkeep…');
  });

  it('tells documents waiting to be indexed from an update, and says up to date only when nothing is left', () => {
    expect(describeOverview({ ...quiet, waitingDocuments: 3 }).text).toBe('3 documents waiting to be indexed');
    expect(describeOverview({ ...quiet, waitingDocuments: 1 }).text).toBe('1 document waiting to be indexed');
    expect(describeOverview({ ...quiet, updatingDocuments: 1 }).text).toBe(
      'Updating 1 document to this version of Trove',
    );
    expect(describeOverview(quiet)).toEqual({ tone: 'ok', text: 'Up to date' });
  });

  it('does not call documents a cancelled run left "waiting": nothing works on them until the next sync', () => {
    expect(describeOverview({ ...quiet, leftDocuments: 1215, failedDocuments: 2 })).toEqual({
      tone: 'idle',
      text: '1,215 documents not indexed yet: the next sync indexes them',
    });
    expect(describeOverview({ ...quiet, leftDocuments: 1 }).text).toBe(
      '1 document not indexed yet: the next sync indexes it',
    );
    // Work under way comes first.
    expect(describeOverview({ ...quiet, leftDocuments: 5, waitingDocuments: 3 }).tone).toBe('busy');
  });
});
