import { describe, expect, it } from 'vitest';
import type { SearchGroup } from '../../src/shared/contract';
import { copyLabel } from '../../src/renderer/search/result-labels';

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
