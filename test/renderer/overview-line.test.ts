import { describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../src/shared/contract';
import { describeOverview } from '../../src/renderer/overview-line';

const quiet: CommandOutput<'activityOverview'> = {
  runs: [],
  queuedSyncs: [],
  waitingDocuments: 0,
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
    expect(describeOverview(quiet)).toEqual({ tone: 'ok', text: 'Up to date' });
  });
});
