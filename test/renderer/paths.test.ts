import { describe, expect, it } from 'vitest';
import { localPath, pathsFromText } from '../../src/renderer/paths';

describe('renderer path helpers', () => {
  it('turns file URLs into plain paths on POSIX and Windows', () => {
    expect(localPath('file:///home/me/My%20Notes/a.md')).toBe('/home/me/My Notes/a.md');
    expect(localPath('file:///C:/Users/me/a.pdf')).toBe('C:/Users/me/a.pdf');
    expect(localPath('/already/a/path')).toBe('/already/a/path');
  });

  it('takes absolute paths and file URIs from pasted text or a uri-list, dropping the rest', () => {
    const text = [
      '# a uri-list comment',
      'file:///home/me/a.md',
      '  /home/me/b.pdf  ',
      'relative/c.txt',
      'https://example.com/d',
      'D:\\Docs\\e.docx',
      '',
    ].join('\r\n');
    expect(pathsFromText(text)).toEqual(['/home/me/a.md', '/home/me/b.pdf', 'D:\\Docs\\e.docx']);
  });
});
