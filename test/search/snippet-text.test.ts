import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { highlightWhole, keywordSnippets } from '../../src/main/core/search/keyword-snippets';
import { asCodeBlock, displayText, withOpenFence, withoutShownHeadings } from '../../src/main/core/search/snippet-text';
import { toSegments } from '../../src/main/core/search/snippet-segments';
import { markupDialect, type MarkupDialect } from '../../src/main/core/search/markup-dialect';
import type { SnippetSegment } from '../../src/main/core/search/types';
import { createLibrary, searchServiceFor } from './library';

/** The displayed text as a person reads it, code shown as `code`. */
const shown = (raw: string, dialect?: MarkupDialect): string =>
  toSegments(displayText(raw, dialect))
    .map((s) => (s.code ? `\`${s.text}\`` : s.text))
    .join('');

describe('snippet text cleaning', () => {
  it('strips Markdown emphasis, heading, quote and list markers', () => {
    expect(shown('# Install **Trove** on _Linux_ ##')).toBe('Install Trove on Linux');
    expect(shown('> a ***very*** ~~old~~ __note__')).toBe('a very old note');
    expect(shown('- first\n* second\n+ third\n1. fourth\n2) fifth\n- [x] done')).toBe(
      'first second third fourth fifth done',
    );
    expect(shown('Title\n=====\nBody\n\n---\n\n***')).toBe('Title Body');
  });

  it('keeps identifiers, arithmetic and escaped characters that look like markup', () => {
    expect(shown('call snake_case_name and a__b__c with 2 * 3 * 4')).toBe(
      'call snake_case_name and a__b__c with 2 * 3 * 4',
    );
    expect(shown('a\\*b \\# not a heading')).toBe('a*b # not a heading');
    // A Sphinx signature as turndown writes it: each text node escaped on its own, emphasis around escaped marks.
    expect(shown('run(args, \\*, stdin\\=None, _capture\\_output\\=False_, _\\*\\*other\\_kwargs_)')).toBe(
      'run(args, *, stdin=None, capture_output=False, **other_kwargs)',
    );
    expect(shown('if a < b and c > d')).toBe('if a < b and c > d');
    // A Word document's code, escaped by turndown: a template literal's backticks are backticks, not code spans.
    expect(shown('console.log(\\`created ${dir}\\`); and `code` and ``a ` b``')).toBe(
      'console.log(`created ${dir}`); and `code` and `a ` b`',
    );
  });

  it('turns links into their text and autolinks into their address', () => {
    expect(shown('See [the guide](https://x.y/z "Guide") and ![a diagram](d.png).')).toBe(
      'See the guide and a diagram.',
    );
    expect(shown('Read [the docs][docs] or <https://trove.dev/help>.\n\n[docs]: https://x.y')).toBe(
      'Read the docs or https://trove.dev/help.',
    );
    expect(shown('A footnote[^1] here.')).toBe('A footnote here.');
  });

  it('reads a code span that runs over a line break as one, without its backticks', () => {
    // npm's documentation, wrapped at 80 columns.
    expect(shown('The shell to use with `npm exec`, `npm run` and `npm\ninit <package-spec>` commands.')).toBe(
      'The shell to use with `npm exec`, `npm run` and `npm init <package-spec>` commands.',
    );
    expect(shown('Literal ``a\nb`` here.', 'rst')).toBe('Literal `a b` here.');
    // GNU's `quotes' in plain text open nothing across lines.
    expect(toSegments(displayText("Run `configure' first,\nthen `make' to build.")).some((s) => s.code)).toBe(false);
    // A backtick left open by a typo joins nothing that does not close it.
    expect(shown('It costs 5` more.\n\nNext paragraph.')).toBe('It costs 5` more. Next paragraph.');
  });

  it('reads a link whose text wraps onto the next line as its text, and drops badges', () => {
    expect(shown('Supports [Posix character\nclasses](https://www.gnu.org/a_(b).html), like `[[:alpha:]]`.')).toBe(
      'Supports Posix character classes, like `[[:alpha:]]`.',
    );
    expect(
      shown(
        '[![Build Status](https://ci.x/badge.svg)](https://ci.x) [![npm](https://img.x/v.svg)](https://npm.x)\nA small tool.',
      ),
    ).toBe('A small tool.');
    expect(shown('[![Build Status][travis-img]][travis-url] A small tool, see ![the diagram][fig].')).toBe(
      'A small tool, see the diagram.',
    );
    // Not a link: an open bracket in prose or code joins nothing it should not.
    expect(shown('Values in [0, 1\nare kept.\n\n```\nx = [\n  1,\n]\n```')).toBe(
      'Values in [0, 1 are kept. `x = [\n  1,\n]`',
    );
  });

  it('removes HTML tags and comments, decoding the common entities', () => {
    expect(shown('<p>Hello <b>bold</b> &amp; <a href="x">linked</a><br/>world</p><!-- hidden -->')).toBe(
      'Hello bold & linked world',
    );
    // Placeholders in angle brackets are not HTML: a synopsis keeps them.
    expect(shown('Reset <branchname> to <start-point>; <DIV class="x">see <file></DIV>')).toBe(
      'Reset <branchname> to <start-point>; see <file>',
    );
    // Node.js's Markdown docs keep a YAML history in a comment under each heading; an HTML example in code keeps its comment.
    const api =
      '`request.setTimeout(timeout)`\n\n<!-- YAML\nadded: v0.5.9\nchanges:\n  - version: v9.0.0\n-->\n\n' +
      '* `timeout` Milliseconds before a request times out. <!-- one line -->\n\n```html\n<!-- keep -->\n<p>x</p>\n```';
    expect(shown(api)).toBe(
      '`request.setTimeout(timeout)` `timeout` Milliseconds before a request times out. `<!-- keep -->\n<p>x</p>`',
    );
  });

  it('shows code as code, verbatim, and template braces only there', () => {
    const segments = toSegments(
      displayText('Run `npm {{install}}` now.\n\n```ts\nconst a = {{ value }};\n```\n\nHi {{user.name}}, welcome.'),
    );
    expect(segments).toEqual([
      { text: 'Run ', match: false },
      { text: 'npm {{install}}', match: false, code: true },
      { text: ' now. ', match: false },
      { text: 'const a = {{ value }};', match: false, code: true },
      { text: ' Hi , welcome.', match: false },
    ]);
    // A snippet window that ends (or starts) just inside a code span shows its ellipsis as prose.
    expect(toSegments('See the \uE002 …')).toEqual([{ text: 'See the …', match: false }]);
    expect(toSegments('… \uE003 the rest')).toEqual([{ text: '… the rest', match: false }]);
    // A fence the chunk cut off still shows what follows as code.
    expect(toSegments(displayText('Example:\n~~~\nrm -rf *build*'))).toEqual([
      { text: 'Example: ', match: false },
      { text: 'rm -rf *build*', match: false, code: true },
    ]);
    // A fence under a list item's text (as turndown writes Python's and Git's pages) and one in a quote are code too.
    const listed =
      '-   Suppress warnings:\n    \n    ```\n    >>> h = NullHandler()\n    ```\n    \n    (Contributed.)';
    expect(shown(listed)).toBe('Suppress warnings: `>>> h = NullHandler()` (Contributed.)');
    expect(shown('> Try:\n> ```\n> **a** = 1\n> ```\n> Done.')).toBe('Try: `**a** = 1` Done.');
    // A title underlined with tildes (reStructuredText, AsciiDoc) opens no block: its section is prose.
    expect(shown('Release 3.4.1\n~~~~~~~~~~~~~\n\nFixed the *crash*.\n\nExample:\n~~~\nrm -rf build\n~~~')).toBe(
      'Release 3.4.1 Fixed the crash. Example: `rm -rf build`',
    );
    // Backticks underline nothing: a long fence right under a short line is still a fence.
    expect(shown('Run this\n````````````\nmake all\n````````````\nDone.')).toBe('Run this `make all` Done.');
  });

  it('shows a whole source file as code, even one holding fences and reStructuredText', () => {
    const python = [
      'def usage():',
      '    """Print help.',
      '',
      '    .. note:: Example::',
      '',
      '        ```sh',
      '        tool --fast',
      '        ```',
      '    """',
    ].join('\n');
    const segments = toSegments(displayText(asCodeBlock(python)), { keepLines: true });
    expect(segments).toEqual([{ text: python, match: false, code: true }]);
    // In Markdown too, a fenced block is code whatever it says.
    expect(shown('Sphinx :ref:`x`:\n\n```rst\n.. index:: single: x\n.. note:: Example::\n```')).toBe(
      'Sphinx x: `.. index:: single: x\n.. note:: Example::`',
    );
  });

  it('turns tables into rows of cells', () => {
    expect(shown('| name | size |\n|:-----|-----:|\n| a.md | 12 KB |')).toBe('name · size a.md · 12 KB');
  });

  it('drops page furniture: page numbers and running headers of PDF pages', () => {
    const pdf = [
      'Annual Report 2024',
      'Revenue grew in every region.',
      '12',
      'Annual Report 2024',
      'Costs fell.',
      '- 13 -',
      'Page 4 of 10',
      'xiv',
      'In 2024 we hired 12 people.',
    ].join('\n');
    expect(shown(pdf)).toBe('Revenue grew in every region. Costs fell. In 2024 we hired 12 people.');
    // A header repeated with its page number is furniture too.
    expect(shown('ACME Handbook 3\nPolicies apply.\nACME Handbook 4\nTo everyone.')).toBe(
      'Policies apply. To everyone.',
    );
  });

  it('leaves out the opening headings the result already shows, and only those', () => {
    const chunk = '# Growing tomatoes\n\n## Watering\n\nWater the beds deeply twice a week.';
    expect(withoutShownHeadings(chunk, ['Growing tomatoes', 'Watering'])).toBe('Water the beds deeply twice a week.');
    // A heading the result does not show stays: it says something the snippet would otherwise lose.
    expect(withoutShownHeadings(chunk, ['Growing tomatoes'])).toBe(
      '## Watering\n\nWater the beds deeply twice a week.',
    );
    expect(withoutShownHeadings('# **Growing** tomatoes\nText.', ['growing tomatoes'])).toBe('Text.');
    // Nothing but the heading: kept, or there would be no snippet at all.
    expect(withoutShownHeadings('# Harvest', ['Harvest'])).toBe('# Harvest');
    expect(withoutShownHeadings('Intro line\n# Harvest', ['Harvest'])).toBe('Intro line\n# Harvest');
  });

  it('leaves out plain-text headings the result shows: a line that is one, with its rule', () => {
    // A rendered man page: the section name is the heading path.
    expect(withoutShownHeadings('NAME\n       sort - sort lines of text files', ['sort.txt', 'NAME'])).toBe(
      '       sort - sort lines of text files',
    );
    // A note whose first line is its title, and an underlined section under it.
    const note = 'Grocery list\n\nWeekend\n=======\n\nMilk, eggs and bread.';
    expect(withoutShownHeadings(note, ['Grocery list', 'Weekend'])).toBe('Milk, eggs and bread.');
    // The summary under NAME is also the title: the chunk keeps it rather than becoming empty.
    expect(withoutShownHeadings('NAME\n   sort - sort lines', ['sort - sort lines', 'NAME'])).toBe(
      '   sort - sort lines',
    );
    // A line that only starts like the heading is text.
    expect(withoutShownHeadings('NAME your branch first.', ['NAME'])).toBe('NAME your branch first.');
  });

  it('reads reStructuredText as Sphinx shows it: roles as code or words, directives by their argument, no targets', () => {
    const rst =
      '.. _csv-examples:\n\nThe :func:`run` function and :class:`~email.message.Message`, see :ref:`the tutorial <tut>`.\n\n' +
      '.. method:: csvwriter.writerow(row)\n\n   Write *row*, :exc:`!Error` on bad input. See `Python <https://python.org>`_.\n\n.. note::\n\n   Mind the gap.';
    expect(shown(rst)).toBe(
      'The `run` function and `Message`, see the tutorial. csvwriter.writerow(row) Write row, `Error` on bad input. See Python. Note: Mind the gap.',
    );
    // Version notes and admonitions carry Sphinx's label; index entries, included files and the like show nothing.
    const notes =
      '.. index::\n   single: (?P<; in regular expressions\n   pair: group; named\n\n(?P<name>...) names a group.\n\n' +
      '.. versionchanged:: 3.11\n   Group names must be ASCII.\n\n.. include:: /using/venv-create.inc\n\n.. highlight:: c\n\n' +
      '.. deprecated:: 3.8\n\n.. seealso:: :func:`match`\n\n.. toctree::\n   :maxdepth: 2\n\n   intro\n   api\n\nThe end.';
    expect(shown(notes)).toBe(
      '(?P<name>...) names a group. Changed in version 3.11: Group names must be ASCII. Deprecated since version 3.8: See also: `match` The end.',
    );
    // A directive's options, right under it, show nothing; a field list after a blank line is its text.
    const table =
      'Utilities to spawn subprocesses.\n\n.. list-table::\n    :widths: 50 50\n    :class: full-width-table\n\n' +
      '    * - ``await`` :func:`create_subprocess_exec`\n      - Create a subprocess.\n\n' +
      '.. function:: spawn(cmd)\n   :noindex:\n\n   :param cmd: the command to run\n   :returns: the process';
    expect(shown(table)).toBe(
      'Utilities to spawn subprocesses. `await` `create_subprocess_exec` Create a subprocess. spawn(cmd) :param cmd: the command to run :returns: the process',
    );
    expect(shown('See :pep:`405`, :rfc:`2822#section-3.3` and :pep:`the style guide <8>`.')).toBe(
      'See PEP 405, RFC 2822 and the style guide.',
    );
    // Table borders are not text.
    expect(
      shown('+--------+-------+\n| JSON   | Python |\n+========+=======+\n\n=====  =====\nnull   None\n=====  ====='),
    ).toBe('JSON · Python null None');
    // A role's text may wrap onto the next line.
    expect(shown('Serialize obj using this :ref:`conversion\ntable <py-to-json-table>`.')).toBe(
      'Serialize obj using this conversion table.',
    );
    // Literal blocks, after "::" or a code directive, are code; "std::" at a line's end is not one.
    expect(
      shown(
        'Read a CSV file::\n\n   import csv\n   reader = csv.reader(f)\n\nOr ::\n\n    x = 1\n\n.. code-block:: python\n\n   y = 2\n\nC++ has std::\nnot a block.',
      ),
    ).toBe('Read a CSV file: `import csv\nreader = csv.reader(f)` Or `x = 1` `y = 2` C++ has std:: not a block.');
    // AsciiDoc's labelled lists, with or without a blank line: the text under "--force::" is prose.
    // Each term reads as "term:", as a rendered page sets it apart; preprocessor lines show nothing.
    expect(shown('--force::\n\tReset the branch, even if it exists.')).toBe(
      '--force: Reset the branch, even if it exists.',
    );
    expect(shown('apply [--index]::\n\n\tLike `pop`, but keeps the stash.')).toBe(
      'apply [--index]: Like `pop`, but keeps the stash.',
    );
    expect(
      shown('ifndef::git-pull[]\n-q::\n--quiet::\n\tOperate quietly.\nendif::git-pull[]\ninclude::merge-options.txt[]'),
    ).toBe('-q: --quiet: Operate quietly.');
    // Not a term: prose follows at column 0, or the colons are inside a word.
    expect(shown('C++ has std::\nnot a block.')).toBe('C++ has std:: not a block.');
    expect(shown('See ifdef::x[] in the docs.')).toBe('See ifdef::x[] in the docs.');
    // Wiki links and AsciiDoc's links, anchors and list continuations read as a reader sees them.
    expect(
      shown(
        '[[last-commit-amend]] See [[Project Plan]], [[todo|my list]],\nlinkgit:git-blame[1] and link:bisect.html[Fighting regressions].\n+\n<<fixing,Fixing mistakes>>; x << 2.',
      ),
    ).toBe(
      'last-commit-amend See Project Plan, my list, git-blame(1) and Fighting regressions. Fixing mistakes; x << 2.',
    );
    // Markdown that looks a little like it is left alone.
    expect(shown('Call `a:b:c` then .. continue. Time: 10:30.')).toBe('Call `a:b:c` then .. continue. Time: 10:30.');
  });

  it('reads MyST and fenced divs as Sphinx and Pandoc show them: admonitions by their label, targets and contents not at all', () => {
    const myst =
      '(repeatability)=\n# Repeatable Installs\n\nSee {ref}`the guide <install-guide>` and {py:func}`run`.\n\n' +
      '```{note}\nPinning refers to using the `==` operator.\n```\n\n' +
      '````{versionchanged} 22.1\nHashes are checked:\n```python\nx = 1\n```\n````\n\n' +
      '```{toctree}\n:maxdepth: 2\n\ninstall\nusage\n```\n\n' +
      ':::{warning}\n:class: big\nMind the gap.\n:::\n\nThe end.';
    expect(shown(myst)).toBe(
      'Repeatable Installs See the guide and `run`. Note: Pinning refers to using the `==` operator. ' +
        'Changed in version 22.1: Hashes are checked: `x = 1` Warning: Mind the gap. The end.',
    );
    // A chunk made only of a target shows nothing, so a result can leave it out.
    expect(shown('(install-guide)=')).toBe('');
    // A directive named like what every object has is a directive like any other (these threw).
    expect(shown('.. constructor:: Point(x, y)\n\n```{constructor}\nz\n```\n\n::: toString\nText.\n:::')).toBe(
      'Point(x, y) `z` Text.',
    );
    // Pandoc and Quarto divs hold prose, labelled when they are admonitions.
    expect(shown('::: {.callout-tip}\nRestart first.\n:::\n\n::: columns\nLeft side.\n:::')).toBe(
      'Tip: Restart first. Left side.',
    );
    // R Markdown's chunks and directives Trove does not know stay code, as before.
    expect(shown('```{r setup}\nlibrary(x)\n```\n\n```{pip-cli}\ninstall x\n```')).toBe('`library(x)` `install x`');
  });

  it("reads Obsidian's notes as Obsidian shows them: callouts, embeds, highlights, comments and footnotes", () => {
    const note =
      '> [!tip] Water early\n> The soil stays cool.\n\n> [!bug]- Aphids\n> Spray ==soapy water== weekly.\n\n' +
      'See ![[Tomato plan#Sowing]] and ![[bed-layout.png|300]].\n\nVisible %%a note to self%% text.[^1]\n\n' +
      "%%\nDraft: do not show\n%%\n\n[^1]: Grandma's advice.";
    expect(shown(note)).toBe(
      'Tip: Water early The soil stays cool. Bug: Aphids Spray soapy water weekly. ' +
        "See Tomato plan › Sowing and . Visible text. Grandma's advice.",
    );
    // What only looks like them stays: a percent sign printed as %%, comparisons, a lone %% line in code.
    expect(shown('Print %% for a percent sign; 50%% off.\n\nIf a == b and c==d.\n\n```\n%%\n```')).toBe(
      'Print %% for a percent sign; 50%% off. If a == b and c==d. `%%`',
    );
  });

  it('keeps the indentation of code, less what all its lines share, and collapses the space of prose', () => {
    const python =
      'Decode   it:\n\n```python\ndef as_complex(dct):\n    if "real" in dct:\n        return complex(dct["real"])   \n```';
    expect(shown(python)).toBe(
      'Decode it: `def as_complex(dct):\n    if "real" in dct:\n        return complex(dct["real"])`',
    );
    // A literal block indented under its paragraph, as the preview shows it.
    const preview = toSegments(displayText('Example :func:`f`::\n\n   for x in y:\n       f(x)\n\nDone.'), {
      keepLines: true,
    });
    expect(preview.filter((s) => s.code).map((s) => s.text)).toEqual(['f', 'for x in y:\n    f(x)']);
  });

  it("reads AsciiDoc's delimited blocks: listings as code, comments not at all, examples as prose", () => {
    // Git's manuals: AsciiDoc in .txt files, known by a list continuation attaching a listing block.
    const gitStash =
      'Pulling into a dirty tree::\n\nYou can stash your changes away, like this:\n+\n' +
      '----------------\n$ git pull\n# ... hack hack ...\n$ git stash\n$ git pull\n----------------\n\nThe end.';
    expect(shown(gitStash)).toBe(
      'Pulling into a dirty tree: You can stash your changes away, like this: ' +
        '`$ git pull\n# ... hack hack ...\n$ git stash\n$ git pull` The end.',
    );
    // An .adoc file: titles, style lines, admonitions, comments, example blocks, a listing the chunk cut off.
    const guide =
      '== Install\n\n[NOTE]\n====\nBack up first.\n====\n\n////\nDraft: do not show\n////\n\n' +
      '// a line comment\n[source,shell]\n----\n$ make install\n----\n\n.....\nliteral text\n.....\n\n' +
      'Then run:\n\n----\n$ trove serve';
    expect(shown(guide, 'asciidoc')).toBe(
      'Install Note: Back up first. `$ make install` `literal text` Then run: `$ trove serve`',
    );
    // A block under a block title or inside an open block ("--", as git-cvsserver.txt nests them).
    const nested =
      'Add this section:\n+\n--\n------\n   [gitcvs]\n        enabled=1\n------\n--\n\n.Example\n----\n$ cvs co\n----';
    expect(shown(nested, 'asciidoc')).toBe('Add this section: `[gitcvs]\n     enabled=1` Example `$ cvs co`');
    // Named attributes style a block too; a word that opens a line inside a paragraph, or a sentence, is no block title.
    expect(
      shown('Hence:\n\n.Merge upwards\n[caption="Rule: "]\n====\nCommit fixes to the oldest branch.\n====', 'asciidoc'),
    ).toBe('Hence: Merge upwards Commit fixes to the oldest branch.');
    expect(shown('\n.git/shallow. This option updates it.\nMore.', 'asciidoc')).toBe(
      '.git/shallow. This option updates it. More.',
    );
    expect(shown('Ignored paths go in\n.gitignore files, one per line.', 'asciidoc')).toBe(
      'Ignored paths go in .gitignore files, one per line.',
    );
    // A title underlined with dashes stays a title; a delimiter opening the chunk with no partner
    // closes a block an earlier chunk opened, so what follows is prose.
    expect(shown('Examples\n--------\nSee below.', 'asciidoc')).toBe('Examples See below.');
    expect(shown('----\n\nAfter the block.\n\n----\nx = 1\n----', 'asciidoc')).toBe('After the block. `x = 1`');
    // Markdown's rules, and plain text's separators, hold prose.
    const rules = 'Intro\n\n----\n\nSection two\n\n----\n\nEnd';
    expect(shown(rules, 'markdown')).toBe('Intro Section two End');
    expect(shown(rules)).toBe('Intro Section two End');
  });

  it('shows the rest of an AsciiDoc listing block an earlier chunk opened as code, and the prose after it as prose', () => {
    const cut = '$ git stash pop\n$ git pull\n----\n\nThe stash is applied again.';
    expect(shown(withOpenFence(cut, '----'), 'asciidoc')).toBe(
      '`$ git stash pop\n$ git pull` The stash is applied again.',
    );
    // Without the mark, the closing delimiter has no partner: the commands read as prose (the bug this fixes).
    expect(shown(cut, 'asciidoc')).toBe('$ git stash pop $ git pull The stash is applied again.');
    // A chunk wholly inside the block, one starting at its closing line, and a literal block.
    expect(shown(withOpenFence('a = 1\nb = 2', '----'))).toBe('`a = 1\nb = 2`');
    expect(shown(withOpenFence('----\nAfter it.', '----'))).toBe('After it.');
    expect(shown(withOpenFence('  output line\n....\nDone.', '....'))).toBe('`output line` Done.');
    // Backticks in the code cannot close the fence it is put in.
    expect(shown(withOpenFence('echo ```x```\n----\nok', '----'))).toBe('`echo ```x```` ok');
    // Anything else recorded is no fence.
    expect(withOpenFence('text', '====')).toBe('text');
  });

  it('joins the lines of a paragraph its writer wrapped, for the preview, and keeps lines the writer ended', () => {
    const lines = (raw: string): string[] =>
      toSegments(displayText(raw), { keepLines: true })
        .map((s) => s.text)
        .join('')
        .split('\n');
    // Git's manuals, wrapped at 72 columns: one paragraph the pane wraps, under its short term line.
    const wrapped =
      'Interrupted workflow::\n' +
      '\tWhen you are in the middle of something, your boss comes in and\n' +
      '\tdemands that you fix something immediately. Traditionally, you would\n' +
      '\tmake a commit to a temporary branch.';
    // A block attached by "+" right under the paragraph (no blank line between) is not part of it.
    expect(lines(`${wrapped}\n+\n----\n$ git stash\n$ git switch -c emergency-fix-for-the-boss\n----`)[1]).toBe(
      lines(wrapped)[1],
    );
    expect(lines(wrapped)).toEqual([
      'Interrupted workflow:',
      'When you are in the middle of something, your boss comes in and demands that you fix something ' +
        'immediately. Traditionally, you would make a commit to a temporary branch.',
    ]);
    // Short lines (an address), list items, aligned columns, code-like lines and a change of indent stay apart.
    expect(lines('Ann Smith\n12 Garden Road\nSpringfield')).toEqual(['Ann Smith', '12 Garden Road', 'Springfield']);
    const list = '- the first item of the list, long enough to be wrapped text\n- the second item of the list, as long';
    expect(lines(list)).toHaveLength(2);
    const table =
      'Name          Size      Changed on the date shown\nreport.pdf    1.2 MB    2024-03-01 at noon, by Ann';
    expect(lines(table)).toHaveLength(2);
    expect(
      lines('if (ready) { start the whole machine running again now; }\nelse wait for the signal to arrive and go'),
    ).toHaveLength(2);
    // A log or a list of commit subjects, one entry per line: room was left, or the entries open alike.
    const log =
      'PASS: gdb.base/volatile.exp: ptype vox, ptype victuals, ptype vixen, ptype vitriol and more\n' +
      'PASS: gdb.base/volatile.exp: ptype vellum\nPASS: gdb.base/volatile.exp: ptype valve';
    expect(lines(log)).toHaveLength(3);
    const subjects =
      '      config: make git_config_include() static\n      config: include file if remote URL matches a glob\n' +
      '      sparse-checkout: create leading directory\n      clone: support unusual remote ref configurations';
    expect(lines(subjects)).toHaveLength(4);
    const option =
      '  -a, --all: do not ignore entries starting with a dot at all\n        and show them in the listing with the rest';
    expect(lines(option)).toHaveLength(2);
  });

  it("reads a reStructuredText file's literal blocks even where the chunk shows no other sign of it", () => {
    const chunk = 'Run it like this::\n\n    python -m venv env\n\nThen activate it.';
    expect(shown(chunk, 'rst')).toBe('Run it like this: `python -m venv env` Then activate it.');
    // Without the file's name, "term::" over indented text may as well be AsciiDoc's labelled list.
    expect(shown(chunk)).toBe('Run it like this: python -m venv env Then activate it.');
  });

  it('takes the dialect from the parse format and the file name', () => {
    expect(markupDialect('plain', 'README.rst')).toBe('rst');
    expect(markupDialect('plain', 'tutorial.rst.txt')).toBe('rst');
    expect(markupDialect('plain', 'Guide.ADOC')).toBe('asciidoc');
    expect(markupDialect('markdown', 'notes.adoc')).toBe('markdown');
    expect(markupDialect('plain', 'git-stash.txt')).toBeUndefined();
    expect(markupDialect('code', 'conf.py')).toBeUndefined();
    expect(markupDialect(null, null)).toBeUndefined();
  });

  it('ignores private-use characters a document holds, so they cannot pose as markers', () => {
    expect(shown('a\uE002b\uE001c')).toBe('abc');
  });
});

describe('keyword snippets of cleaned text', () => {
  it('highlight the words found, with the markup gone and code kept as code', () => {
    const db = openDatabase(':memory:');
    const snippets = keywordSnippets(db, '"install" OR "linux"', [
      { id: 1, text: '## Installing on **Linux**\n\nRun `apt install trove` and see [docs](https://x.y).' },
    ]);
    const segments: SnippetSegment[] = snippets.get(1)!;
    expect(segments.map((s) => s.text).join('')).toBe('Installing on Linux Run apt install trove and see docs.');
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['Installing', 'Linux', 'install']);
    expect(segments.find((s) => s.text === 'install')).toEqual({ text: 'install', match: true, code: true });
    expect(segments.some((s) => /[*#[\]()`\uE000-\uE004]/.test(s.text))).toBe(false);
    db.close();
  });

  it('mark Chinese and Japanese words inside a clause, which the highlighter cannot cut out', () => {
    const db = openDatabase(':memory:');
    const note =
      '温室笔记\n\n我们在温室里种植番茄和黄瓜，每天早上六点浇水。'.repeat(1) + '夏天的时候要注意通风。'.repeat(20);
    const marked = (segments: SnippetSegment[] | undefined) =>
      (segments ?? []).map((s) => (s.match ? `[${s.text}]` : s.text)).join('');
    // As the keyword plan writes them: the word as typed, and a longer one also as the phrase of its pairs.
    expect(marked(keywordSnippets(db, '"番茄"', [{ id: 1, text: note }]).get(1))).toMatch(
      /^温室笔记 我们在温室里种植\[番茄\]和黄瓜，每天早上六点浇水。夏天.*…$/,
    );
    expect(marked(keywordSnippets(db, '"里种植番"* OR "里种 种植 植番"', [{ id: 2, text: note }]).get(2))).toContain(
      '我们在温室[里种植番]茄和黄瓜',
    );
    // With other words: both marked; the preview marks the whole chunk.
    const mixed = 'Tomato 番茄 notes: water the 番茄 daily.';
    expect(marked(keywordSnippets(db, '"番茄" OR "tomato"', [{ id: 3, text: mixed }]).get(3))).toBe(
      '[Tomato] [番茄] notes: water the [番茄] daily.',
    );
    expect(
      marked(
        highlightWhole(db, '"水をやり"', [{ id: 4, text: '苗は朝のうちに水をやり、午後は窓を開けます。' }]).get(4),
      ),
    ).toBe('苗は朝のうちに[水をやり]、午後は窓を開けます。');
    // Nothing to mark: the chunk is left for another snippet, as before.
    expect(keywordSnippets(db, '"黄瓜"', [{ id: 5, text: 'A note without them.' }]).has(5)).toBe(false);
    db.close();
  });

  it('show a window from the middle of a long code block as code', () => {
    const db = openDatabase(':memory:');
    const lines = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i});`);
    lines[20] = 'const projectFolder = join(__dirname, "project");';
    const text = `Make a folder:\n\n\`\`\`js\n${lines.join('\n')}\n\`\`\`\n\nThe folder is made.`;
    const segments = keywordSnippets(db, '"projectfolder"', [{ id: 1, text }], 12).get(1)!;
    expect(segments[0]).toEqual({ text: '…', match: false });
    expect(segments.slice(1).every((s) => s.code)).toBe(true);
    expect(segments.find((s) => s.match)).toEqual({ text: 'projectFolder', match: true, code: true });
    db.close();
  });
});

describe('chunks shown under a result', () => {
  it('show more than a short first line when the chunk was found by its heading', async () => {
    const lib = createLibrary();
    lib.addConnector('folder', 'local_folder');
    lib.addDocument({
      connectorId: 'folder',
      title: 'garden.md',
      chunks: [
        'Tags: garden\n\nTie them loosely with soft twine, never wire. Check the knots weekly through the summer.',
      ],
      headingPaths: [['Stake the zqvines']],
    });
    const { service } = searchServiceFor(lib, { embedder: false });
    const found = await service.search({ query: 'zqvines', mode: 'keyword' });
    const snippet = found.groups[0]?.chunks[0]?.snippet.map((s) => s.text).join('');
    expect(snippet).toBe(
      'Tags: garden Tie them loosely with soft twine, never wire. Check the knots weekly through the summer.',
    );
  });

  it('leave out a chunk that matched only through markup that is not shown, unless nothing else matched', async () => {
    const lib = createLibrary();
    lib.addConnector('folder', 'local_folder');
    const include = '.. _venv-def:\n\n.. include:: /using/venv-create.inc';
    lib.addDocument({
      connectorId: 'folder',
      title: 'venv.rst.txt',
      chunks: [include, 'The venv module lets you create lightweight virtual environments.'],
    });
    lib.addDocument({ connectorId: 'folder', title: 'using.rst.txt', chunks: [include] });
    const { service } = searchServiceFor(lib, { embedder: false });
    const found = await service.search({ query: 'create venv', mode: 'keyword' });
    const text = (title: string) =>
      found.groups
        .find((g) => g.document.fileName === title || g.document.title === title)
        ?.chunks.map((c) => c.snippet.map((s) => s.text).join(''));
    expect(text('venv.rst.txt')).toEqual(['The venv module lets you create lightweight virtual environments.']);
    // A result keeps one chunk, even one with nothing to show.
    expect(text('using.rst.txt')).toHaveLength(1);
  });
});
