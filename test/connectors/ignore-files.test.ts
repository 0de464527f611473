import { describe, expect, it } from 'vitest';
import { ignoreRules, isIgnored } from '../../src/main/core/connectors/fs/ignore-files';

describe('.gitignore rules', () => {
  const root = ignoreRules('*.log\n!keep.log\nbuild/\n/top.md\n', '', undefined);
  const docs = ignoreRules('drafts\n!important.log\n', 'docs', root);

  it('apply in their folder and below, the deepest file deciding', () => {
    expect(isIgnored(root, 'debug.log', false)).toBe(true);
    expect(isIgnored(root, 'keep.log', false)).toBe(false);
    expect(isIgnored(root, 'build', true)).toBe(true);
    expect(isIgnored(root, 'build', false)).toBe(false); // a file named like a folder-only pattern
    expect(isIgnored(root, 'top.md', false)).toBe(true);
    expect(isIgnored(docs, 'docs/top.md', false)).toBe(false); // anchored to the root
    expect(isIgnored(docs, 'docs/drafts', true)).toBe(true);
    expect(isIgnored(docs, 'docs/important.log', false)).toBe(false);
    expect(isIgnored(docs, 'docs/other.log', false)).toBe(true);
  });

  it('never fail on what they are given: any bytes as rules, any name as a path', () => {
    const junk = ignoreRules('[\n\\\n!\n**/\u0000\n#\n[z-a]\n\uFFFD\n', '', undefined);
    for (const name of ['.', '...', 'a\\b', 'line\nbreak', '#x', '!x', ' lead', 'caf\\xE9.txt']) {
      expect(() => isIgnored(junk, name, false)).not.toThrow();
      expect(() => isIgnored(root, name, true)).not.toThrow();
    }
    expect(isIgnored(root, '.', false)).toBe(false);
  });
});
