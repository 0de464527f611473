import { describe, expect, it } from 'vitest';
import type { SearchGroup } from '../../src/shared/contract';
import { copyLabel, sourceLine } from '../../src/renderer/search/result-labels';

type Doc = SearchGroup['document'];
const doc = (over: Partial<Doc>): Doc => ({
  id: 'd',
  connectorId: 'notes',
  connectorType: 'local_folder',
  connectorName: 'Notes',
  title: 'Migration plan',
  fileName: 'plan.md',
  mimeType: 'text/markdown',
  sourceUrl: 'file:///home/sam/notes/plan.md',
  sourceModifiedAt: null,
  ...over,
});

describe('the label of a copy folded into a result', () => {
  const original = doc({});

  it('is a watched folder file’s folder and name, spaces and all', () => {
    expect(copyLabel(doc({ id: 'b', sourceUrl: 'file:///home/sam/notes/old%20plans/plan.md' }), original)).toBe(
      'old plans/plan.md',
    );
  });

  it('is the name and source of an imported file or a cloud document, never Trove’s own copy path', () => {
    const imported = doc({
      id: 'i',
      connectorId: 'imports',
      connectorType: 'local_import',
      connectorName: 'Imported files',
      sourceUrl: 'file:///home/sam/.trove/uploads/4f1c2a/plan.md',
    });
    expect(copyLabel(imported, original)).toBe('plan.md in Imported files');
    const drive = doc({
      id: 'g',
      connectorId: 'drive',
      connectorType: 'google_drive',
      connectorName: 'Team Drive',
      title: 'Migration plan',
      fileName: null,
      sourceUrl: 'https://docs.google.com/document/d/abc',
    });
    expect(copyLabel(drive, original)).toBe('Migration plan in Team Drive');
    expect(copyLabel({ ...drive, id: 'g2' }, drive)).toBe('Migration plan');
  });
});

describe('the line saying where a result comes from', () => {
  it('says where a watched folder’s file is, so two files of one name tell apart', () => {
    const queue = doc({ title: 'backoff.ts', fileName: null, folder: 'src/queue/', sourceModifiedAt: null });
    const relay = doc({ title: 'backoff.ts', fileName: null, folder: 'src/relay/', sourceModifiedAt: null });
    expect(sourceLine(queue)).toBe('Local folder · Notes · src/queue/');
    expect(sourceLine(relay)).toBe('Local folder · Notes · src/relay/');
    // A title from inside the file: its folder and name; at the top, its name alone.
    expect(sourceLine(doc({ folder: 'plans/' }))).toBe('Local folder · Notes · plans/plan.md');
    expect(sourceLine(doc({ folder: '' }))).toBe('Local folder · Notes · plan.md');
    expect(sourceLine(doc({ title: 'plan.md', fileName: null, folder: '' }))).toBe('Local folder · Notes');
  });
});
