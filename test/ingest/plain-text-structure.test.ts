import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/main/core/ingest';
import { plainBlocks } from '../../src/main/core/ingest/chunking/blocks';
import { listingBlocks } from '../../src/main/core/ingest/chunking/plain-headings';
import { joinHyphenatedWords } from '../../src/main/core/ingest/dehyphenate';
import { parsePlain } from '../../src/main/core/ingest/parsers/text';

/** The headings plainBlocks finds, as "level:title". */
const headings = (text: string): string[] =>
  plainBlocks(text)
    .filter((block) => block.type === 'heading')
    .map((block) => `${block.level}:${block.title}`);

/** A page as `man | col -bx` renders it: sections at column 0, a subsection at 3, bodies at 7, options' text at 14. */
const MAN_PAGE = [
  'GRIND(1)                      User Commands                      GRIND(1)',
  '',
  'NAME',
  '       grind - turn coffee beans into grounds',
  '',
  'SYNOPSIS',
  '       grind [OPTION]... [BEANS]...',
  '',
  'DESCRIPTION',
  '       Grind the BEANS to the chosen size. The mill is avail‐',
  '       able in two sizes.',
  '',
  '   Burr settings',
  '       -c, --coarse',
  '              grind coarsely, for a French press',
  '',
  '       -f, --fine',
  '              grind finely, for espresso',
  '',
  'SEE ALSO',
  '       brew(1)',
  '',
  'grind 1.0                      March 2026                        GRIND(1)',
  '',
].join('\n');

describe('rejoining words hyphenated at a line end', () => {
  it('joins U+2010 and soft hyphens before a lowercase continuation, moving the rest of the word up', () => {
    expect(joinHyphenatedWords('The mill is avail\u2010\n       able in two sizes.')).toBe(
      'The mill is available\n       in two sizes.',
    );
    expect(joinHyphenatedWords('a de\u00ad\nscription of it')).toBe('a description\nof it');
  });

  it('drops a continuation line the word filled, instead of leaving a blank line that would split the paragraph', () => {
    expect(joinHyphenatedWords('Beans are avail\u2010\n   able.\nNext line.\n\nNew paragraph.')).toBe(
      'Beans are available.\nNext line.\n\nNew paragraph.',
    );
  });

  it('leaves ASCII hyphens, capitals after the break and hyphens not at a line end alone', () => {
    for (const text of [
      'a well-\nknown fact',
      'the X\u2010\nRay machine',
      'twenty\u2010one beans',
      'dash at the end\u2010\n',
    ]) {
      expect(joinHyphenatedWords(text), text).toBe(text);
    }
  });

  it('removes a soft hyphen inside a word, where it is invisible', () => {
    expect(joinHyphenatedWords('hyphen\u00adation')).toBe('hyphenation');
  });

  it('is part of the plain-text parse, so stored text and chunks hold the whole word', () => {
    const parsed = parsePlain(MAN_PAGE);
    expect(parsed.text).toContain('The mill is available\n       in two sizes.');
    expect(chunkDocument(parsed, { contentType: 'documentation' }).some((c) => c.text.includes('available'))).toBe(
      true,
    );
  });
});

describe('headings in plain text', () => {
  it('reads a rendered man page: sections at level 1, a subsection at level 2, options stay text', () => {
    expect(headings(parsePlain(MAN_PAGE).text)).toEqual([
      '1:NAME',
      '1:SYNOPSIS',
      '1:DESCRIPTION',
      '2:Burr settings',
      '1:SEE ALSO',
    ]);
  });

  it('gives the man page chunks the heading path of their section', () => {
    const chunks = chunkDocument(parsePlain(MAN_PAGE), { contentType: 'documentation' });
    const pathOf = (words: string): string[] | undefined => chunks.find((c) => c.text.includes(words))?.headingPath;
    expect(pathOf('grind finely')).toEqual(['DESCRIPTION', 'Burr settings']);
    expect(pathOf('brew(1)')).toEqual(['SEE ALSO']);
    for (const chunk of chunks)
      expect(chunk.text).toBe(parsePlain(MAN_PAGE).text.slice(chunk.charStart, chunk.charEnd));
  });

  it('reads reStructuredText titles: levels in the order the styles first appear, overlines included', () => {
    const rst = [
      '==============',
      ' Garden guide',
      '==============',
      '',
      'Soil',
      '====',
      '',
      'Dig it over in spring.',
      '',
      'Compost',
      '-------',
      '',
      'Turn the heap monthly.',
      '',
      'Water',
      '=====',
      '',
      'Rain barrels help.',
      '',
    ].join('\n');
    expect(headings(rst)).toEqual(['1:Garden guide', '2:Soil', '3:Compost', '2:Water']);
    const chunks = chunkDocument(parsePlain(rst), { contentType: 'documentation' });
    expect(chunks.find((c) => c.text.includes('Turn the heap'))?.headingPath).toEqual([
      'Garden guide',
      'Soil',
      'Compost',
    ]);
    expect(chunks.find((c) => c.text.includes('Rain barrels'))?.headingPath).toEqual(['Garden guide', 'Water']);
  });

  it('does not take a short underline, or one under a paragraph line, for a heading', () => {
    expect(headings('A rather long line of text\n---\n\nMore.')).toEqual([]);
    expect(headings('First line of a paragraph\nsecond line\n=====================\n')).toEqual([]);
  });

  it('reads AsciiDoc headings: "= Title", "== Section", the markers giving the level; none inside a listing block', () => {
    const fence = '-'.repeat(48);
    const adoc = [
      '= Git User Manual',
      '',
      '[preface]',
      '== Introduction',
      '',
      'Git is fast. You can check out a tag:',
      '',
      fence,
      '$ git switch --detach v2.6.17',
      '',
      '# a shell comment',
      '',
      'HEAD is now at 427abfa Linux v2.6.17',
      fence,
      '',
      '=== Getting help ===',
      '',
      'Run it.',
      '',
      'x = 1',
      '=2 is not one',
    ].join('\n');
    // AsciiDoc's block attributes ("[preface]", "[[anchor]]") may stand right above a heading.
    expect(headings(adoc)).toEqual(['1:Git User Manual', '2:Introduction', '3:Getting help']);
    expect(headings('Text\n== Not a heading\n')).toEqual([]);
    // A "#" line is a comment in text that is not Markdown.
    expect(headings('Setup\n\n# install the tools first\napt install x\n')).toEqual([]);
  });

  it('does not take a command fenced by rules (AsciiDoc listing blocks) for an over- and underlined title', () => {
    const fence = '-'.repeat(48);
    const asciidoc = [
      'Fighting regressions',
      '====================',
      '',
      `${fence}\n$ git bisect good\n${fence}`,
      '',
      `${fence}\ngit bisect terms\n${fence}`,
      '',
      "-------------------------------------------------------\ngit filter-branch --tree-filter 'rm x' HEAD\n-------------------------------------------------------",
      '',
      '-------------------\n*.c filter=indent\n-------------------',
      '',
      'Done.',
    ].join('\n');
    expect(headings(asciidoc)).toEqual(['1:Fighting regressions']);
    // A title between rules sized to it is still one, whatever the rule's character.
    expect(headings('-----------------\nGit bisect, terms\n-----------------\n\nText.')).toEqual([
      '1:Git bisect, terms',
    ]);
  });

  it('pairs each listing fence with its own close: a one-line block does not reach to the next block', () => {
    // Git's MyFirstContribution.txt: a one-line block, then a manual page's template in a literal block.
    const adoc = [
      '=== Adding Documentation',
      '',
      '----',
      '$ ./bin-wrappers/git help psuh',
      '----',
      '',
      'Fill out your own manpage:',
      '',
      '[listing]',
      '....',
      'git-psuh(1)',
      '===========',
      '',
      'NAME',
      '----',
      'git-psuh - Delight users',
      '',
      'SYNOPSIS',
      '--------',
      "'git-psuh [<arg>...]'",
      '....',
      '',
      'Then build it.',
      '',
      'Testing',
      '-------',
      '',
      'Run the tests.',
    ].join('\n');
    expect(headings(adoc)).toEqual(['3:Adding Documentation', '1:Testing']);
  });

  it('opens a listing block after a blank line, its title or attributes, a list continuation or an enclosing block', () => {
    const blocks = (lines: string[]): Array<[number, number]> => listingBlocks(lines).map((b) => [b.first, b.last]);
    // git-cvsserver.txt: a block inside an open block ("--") attached to a list item by "+".
    const cvs = ['2. Add a section.', '+', '--', '------', '   [gitcvs]', '   enabled=1', '', '------', 'Note: prose.'];
    expect(blocks([...cvs, '', 'more prose', '------', '   [gitcvs]', '------'])).toEqual([[3, 7]]);
    expect(blocks(['-A::', '+', '----', 'a', 'b', '----', '+', 'Prose.'])).toEqual([[2, 5]]);
    expect(blocks(['[source,sh]', '....', 'a', 'b', '....'])).toEqual([[1, 4]]);
    // After a line of prose a rule is an underline or a separator, not a fence.
    expect(blocks(['Some prose', '----', 'a', 'b', '----'])).toEqual([]);
  });

  it('reads an outline: unindented lines over indented bodies, when there are at least two', () => {
    const outline = 'Packing list\n    tent, stove, map\n\nRoute\n    north along the ridge\n';
    expect(headings(outline)).toEqual(['1:Packing list', '1:Route']);
    expect(headings('Packing list\n    tent, stove, map\n')).toEqual([]);
  });

  it('keeps option lists, numbered lists, sentences, fields and code out of the outline', () => {
    expect(headings('  -a, --all\n        show everything\n\n  -l\n        long listing\n')).toEqual([]);
    expect(headings('1. Buy beans\n   the dark roast\n\n2. Grind them\n   finely\n')).toEqual([]);
    expect(headings('Then run this:\n    make install\n\nOr this:\n    make check\n')).toEqual([]);
    expect(headings('function grind() {\n    return beans;\n}\n\nfunction brew() {\n    return cup;\n}\n')).toEqual([]);
    expect(headings('Files: src/a.c\n       src/b.c\n\nLicense: MIT\n  Permission is granted\n')).toEqual([]);
  });

  it("takes a GNU ChangeLog's dated entries for records, not sections: they pack into chunks of the usual size", () => {
    const changelog = Array.from({ length: 40 }, (_, i) =>
      [
        `2002-06-${String((i % 28) + 1).padStart(2, '0')} 14:17  Ann Lee  <ann@example.org>`,
        '',
        `\t* src/grind${i}.c (grind_beans): Fix the burr setting for coarse grounds.`,
        '',
      ].join('\n'),
    ).join('\n');
    expect(headings(changelog)).toEqual([]);
    const chunks = chunkDocument(parsePlain(changelog), { contentType: 'documentation' });
    // One chunk an entry was 40 chunks of ~90 characters, each outranking whole sections for its words.
    expect(chunks.length).toBeLessThanOrEqual(5);
    for (const chunk of chunks) expect(chunk.headingPath).toEqual([]);
    // Spelled out, as Unbound's ChangeLog dates its entries, and with a weekday.
    const spelled = changelog.replace(/2002-06-(\d\d) 14:17 {2}Ann Lee {2}<ann@example.org>/g, '$1 June 2002: Ann');
    expect(headings(spelled)).toEqual([]);
    expect(headings(spelled.replace(/(\d\d) June 2002/g, 'Monday, June $1th, 2002'))).toEqual([]);
    // A heading that only begins like a month is still one.
    expect(headings('Marching orders\n    left, right\n\nMayday drills\n    twice a year\n')).toEqual([
      '1:Marching orders',
      '1:Mayday drills',
    ]);
    // So is one opening with a section's number, which is no date.
    expect(headings('4.3.12 Options\n    verbose output\n\n4.3.13 Files\n    the settings\n')).toEqual([
      '1:4.3.12 Options',
      '1:4.3.13 Files',
    ]);
    // Dated lines still head nothing in a log either, and never title it.
    expect(headings('[12:00:01] started\n    worker 1\n\n[12:00:02] stopped\n    worker 1\n')).toEqual([]);
    expect(parsePlain(changelog).title).toBeUndefined();
  });

  it('keeps the rows of a table whose cells run onto indented lines as text, not as headings', () => {
    const rows = [
      'liblz4-1                 1.9.4-1',
      '  pulled by: libsystemd0',
      'liblzma5                 5.4.1-0.2',
      '  pulled by: libsystemd0',
    ];
    expect(headings(rows.join('\n'))).toEqual([]);
  });

  it('does not read an outline into prose whose examples are indented', () => {
    const prose = [
      'This guide explains how to roast beans at home.',
      'It assumes a popcorn popper.',
      '',
      'The homepage is at',
      '    https://example.org/roast',
      '',
      'Then, run the timer',
      '    timer 9m',
      '',
      'Most people find the second crack hard to hear.',
      'Listen closely.',
      '',
    ].join('\n');
    expect(headings(prose)).toEqual([]);
  });

  it('takes a one-line paragraph in capitals for a heading, but not codes, identifiers or capitals in a paragraph', () => {
    expect(headings('TERMS AND CONDITIONS\n\nYou may copy this.\n\nWARRANTY\n\nNone.\n')).toEqual([
      '1:TERMS AND CONDITIONS',
      '1:WARRANTY',
    ]);
    expect(headings('Intro\n=====\n\nNOTES\n\nText.\n')).toEqual(['1:Intro', '2:NOTES']);
    expect(headings('Text.\n\n# BUILDING FROM SOURCE\n\nRun make.\n')).toEqual(['1:BUILDING FROM SOURCE']);
    for (const text of [
      'Text.\n\nSKU 12345-XZ\n\nMore.',
      'Text.\n\nPOSIXLY_CORRECT\n\nMore.',
      'A LINE\nIN CAPITALS\n',
      'Text.\n\nOK\n',
    ]) {
      expect(headings(text), text).toEqual([]);
    }
  });

  it('keeps a short sentence, a table row and a code block as text', () => {
    const text = 'Buy milk.\n\n| name | qty |\n|------|-----|\n| milk | 2   |\n\n    x = 1\n    print(x)\n';
    expect(headings(text)).toEqual([]);
    expect(plainBlocks(text).map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph']);
  });
});
