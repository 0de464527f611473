import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderWithin } from '../../src/main/core/api/result-folder';

const url = (path: string) => pathToFileURL(path).href;

describe('the folder a result is in, within its watched folder', () => {
  it('is the path from the watched folder to the file’s folder, with a slash, or empty at the top', () => {
    expect(folderWithin('/home/sam/code', url('/home/sam/code/src/queue/backoff.ts'))).toBe('src/queue/');
    expect(folderWithin('/home/sam/notes', url('/home/sam/notes/plan.md'))).toBe('');
    expect(folderWithin('/home/sam/notes', url('/home/sam/notes/old plans/#1 plan.md'))).toBe('old plans/');
    // A message inside a mailbox: the mailbox file's folder (the fragment names the message).
    expect(folderWithin('/home/sam', `${url('/home/sam/Mail/inbox.mbox')}#%3Ca/b@host%3E`)).toBe('Mail/');
  });

  it('is null for anything that is not a file under the watched folder', () => {
    expect(folderWithin('/home/sam/notes', url('/home/sam/other/plan.md'))).toBeNull();
    expect(folderWithin('/home/sam/notes', 'https://docs.google.com/document/d/abc')).toBeNull();
    expect(folderWithin('/home/sam/notes', null)).toBeNull();
    expect(folderWithin('/home/sam/notes', 'file://remote-host/share/plan.md')).toBeNull();
  });
});
