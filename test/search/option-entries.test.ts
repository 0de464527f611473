import { describe, expect, it } from 'vitest';
import { optionEntryPattern, optionTyped } from '../../src/main/core/search/option-entries';
import { parseQuerySyntax } from '../../src/main/core/search/query-syntax';
import { createLibrary, searchServiceFor, keywordTitles } from './library';

const documents = (text: string, option: string): boolean => optionEntryPattern(optionTyped(option)!).test(text);

describe('a typed command-line option', () => {
  it('is a long option typed alone, with or without its value', () => {
    expect(optionTyped('--one-file-system')).toEqual({ name: 'one-file-system', negated: false });
    expect(optionTyped(' --exclude=PATTERN ')).toEqual({ name: 'exclude', negated: false });
    expect(optionTyped('--no-verify')).toEqual({ name: 'verify', negated: true });
    for (const typed of ['-x', '-draft', 'one-file-system', '--', '--x y', 'tar --exclude', '—force'])
      expect({ typed, option: optionTyped(typed) }).toEqual({ typed, option: null });
  });

  it('is documented by an entry of a list of options, as each format writes one', () => {
    const entries: Array<[string, string]> = [
      ['       -x, --one-file-system\n              stay on this file system', '--one-file-system'], // man page
      ['       --one-file-system\n              Stay in local file system when creating archive.', '--one-file-system'],
      ['-x <pattern>, --exclude=<pattern>::\n\tSkip untracked files matching pattern.', '--exclude'], // AsciiDoc
      ['--[no-]force-with-lease::\n--force-with-lease=<refname>::', '--force-with-lease'],
      ['\\--\\[no-\\]force-with-lease\n\n\\--force-with-lease=<refname>', '--force-with-lease'], // HTML as Markdown
      ['       -e sub-extension, --extension=sub-extension\n              Some systems…', '--extension'],
      ['       -b, --build binary-directory [archive|directory]\n              Creates an archive.', '--build'],
      ['  -v, --verbose    explain what is being done', '--verbose'], // --help output
      ['* `--force`: Overwrite the files already there.', '--force'], // Markdown list
      ['| `--dry-run` | Report what would change |', '--dry-run'], // Markdown table
      ['#### `--save-exact`', '--save-exact'],
      ['       -n, --[no-]verify\n           Bypass the pre-commit hook.', '--no-verify'],
      ['       --no-verify\n           Bypass the hooks.', '--no-verify'],
    ];
    for (const [text, option] of entries)
      expect({ text, documents: documents(text, option) }).toEqual({ text, documents: true });
  });

  it('is not documented where a sentence mentions it or a longer option holds it', () => {
    const mentions: Array<[string, string]> = [
      ['           --bundle-uri option. These keys currently have no effect\n           if placed…', '--bundle-uri'],
      ['              --no-netrc.\n', '--no-netrc'],
      ['           --fixup=reword: and --squash options respectively of git-commit(1).', '--fixup'],
      ['           --objects flag uses its commit arguments to build the list\n           of objects.', '--objects'],
      [
        '`--force-with-lease` alone, without specifying the details, will protect all remote refs.',
        '--force-with-lease',
      ],
      ['push --force-with-lease: implement logic to populate old_sha1_expect[]', '--force-with-lease'],
      ['       --force-with-lease\n           Protects the remote refs.', '--force'],
      ['       --no-verify\n           Bypass the hooks.', '--verify'],
      ['Use the --one-file-system option to stay on one file system.', '--one-file-system'],
    ];
    for (const [text, option] of mentions)
      expect({ text, documents: documents(text, option) }).toEqual({ text, documents: false });
  });

  it('is searched as the phrase of its words as well', () => {
    expect(parseQuerySyntax('--one-file-system').compounds).toEqual([['one', 'file', 'system']]);
    expect(parseQuerySyntax('state-of-the-art').compounds).toEqual([]);
  });
});

describe('search for a typed command-line option', () => {
  const lib = createLibrary();
  lib.addConnector('docs', 'local_folder');
  const add = (title: string, chunks: string[]) => lib.addDocument({ connectorId: 'docs', title, chunks });
  // A page about file systems uses the option's words most; a changelog names the option in many releases;
  // the pages of the tools that take it document it in their lists of options.
  add('chattr.txt', [
    'NAME\n       chattr - change file attributes on a Linux file system\n\n' +
      '       Changes the file attributes on one file system or another file system. '.repeat(6),
  ]);
  add('changelog.txt', [
    'Version 1.8.5\n * push --force-with-lease: implement the logic. push --force-with-lease: tie it together.\n' +
      ' * t5533: test "push --force-with-lease". The --force-with-lease option now works with --one-file-system.\n' +
      ' * document --force-with-lease with multiple remotes; --force-with-lease and --force-with-lease=<ref>.',
  ]);
  add('cp.txt', [
    'NAME\n       cp - copy files and directories\n\nOPTIONS\n       -a, --archive\n              same as -dR --preserve=all\n\n' +
      '       -x, --one-file-system\n              stay on this file system\n',
  ]);
  add('git-push.txt', [
    'NAME\n       git-push - Update remote refs along with associated objects\n\n' +
      'OPTIONS\n       --[no-]force-with-lease, --force-with-lease=<refname>\n' +
      '           Usually, "git push" refuses to update a remote ref that is not an ancestor of the local ref.',
  ]);
  // An option named by a function word: its page is found among the chunks pooled for it.
  add('notes.txt', ['All of it, all the time: all files, all folders. Use --all to see them all.']);
  add('ls.txt', [
    'NAME\n       ls - list directory contents\n\n       -a, --all\n              do not ignore entries starting with .\n',
  ]);
  const { service } = searchServiceFor(lib, { embedder: false });
  const titles = (query: string) => keywordTitles(service, query);

  it('puts first the page whose list of options documents it', async () => {
    const found = await titles('--one-file-system');
    expect(found[0]).toBe('cp.txt');
    expect(found).toContain('chattr.txt');
    expect((await titles('--force-with-lease'))[0]).toBe('git-push.txt');
    expect((await titles('--all'))[0]).toBe('ls.txt');
  });
});
