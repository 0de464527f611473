import { describe, expect, it } from 'vitest';
import { ParseFailure } from '../../src/main/core/ingest/parse-failure';
import { parseFile } from './helpers/parse-file';

/**
 * Org, LaTeX, POD, notebooks and front matter are parsed on the calling thread
 * (up to 1 MB: parser-pool-options.ts), so a file crafted to make a pattern
 * backtrack would stall the whole app. Each input here is a megabyte aimed
 * at one of their patterns; before those were bounded, several took from
 * one to five minutes. The bound below is over ten times what any takes on
 * a loaded 2-core machine, and a tenth of the shortest of those stalls.
 */
const MB = 1 << 20;
const WELL_UNDER_A_STALL_MS = 5_000;

const notebookOf = (text: string) =>
  JSON.stringify({
    nbformat: 4,
    cells: [{ cell_type: 'code', source: text, outputs: [{ output_type: 'stream', text }] }],
  });

const CRAFTED: Array<[string, string, string]> = [
  ['Org emphasis marks after every space', 'x *y '.repeat(MB / 5), 'marks.org'],
  ['Org italics marks after every space', 'a /b '.repeat(MB / 5), 'slashes.org'],
  ['Org verbatim marks after every space', 'a =b '.repeat(MB / 5), 'verbatim.org'],
  ['Org links never closed', '[['.repeat(MB / 2), 'links.org'],
  ['an Org list item of spaces', `- ${' '.repeat(MB)}x`, 'list.org'],
  ['an Org headline of spaces', `* ${' '.repeat(MB)}x`, 'headline.org'],
  ['LaTeX backslashes', '\\'.repeat(MB), 'slashes.tex'],
  ['LaTeX commands nested and never closed', '\\x{'.repeat(MB / 3), 'nested.tex'],
  ['LaTeX \\verb never closed', '\\verb|'.repeat(MB / 6), 'verb.tex'],
  ['LaTeX options never closed', '\\x['.repeat(MB / 3), 'options.tex'],
  ['LaTeX line breaks with options never closed', '\\\\['.repeat(MB / 3), 'breaks.tex'],
  ['a LaTeX title of commas', `\\title{${' ,'.repeat(MB / 2)}x}`, 'title.tex'],
  ['LaTeX titles with options never closed', '\\title['.repeat(MB / 7), 'titles.tex'],
  [
    'a LaTeX minted block with options never closed',
    `\\begin{minted}${'\\begin{minted}['.repeat(MB / 15)}`,
    'minted.tex',
  ],
  ['LaTeX spaces not ending a line', `a${' '.repeat(MB)}x`, 'spaces.tex'],
  ['a YAML title of spaces', `---\ntitle: a${' '.repeat(MB)}b\n---\n`, 'yaml.md'],
  ['a TOML title of spaces', `+++\ntitle = a${' '.repeat(MB)}b\n+++\n`, 'toml.md'],
  ['POD codes never closed', `=pod\n\n${'C<'.repeat(MB / 2)}`, 'open.pod'],
  ['POD double-bracket codes never closed', `=pod\n\n${'C<< '.repeat(MB / 4)}`, 'double.pod'],
  ['POD codes one after another', `=pod\n\n${'B<x> '.repeat(MB / 5)}`, 'many.pod'],
  ['a POD paragraph of spaces', `=pod\n\na${' '.repeat(MB)}x`, 'spaces.pod'],
  ['notebook output of line breaks', notebookOf(`${'\n'.repeat(MB / 2)}x`), 'breaks.ipynb'],
];

describe('text formats read on the calling thread, given crafted input', () => {
  for (const [name, text, fileName] of CRAFTED) {
    it(`read ${name} without stalling`, async () => {
      const started = performance.now();
      const outcome = await parseFile(text, fileName).then(
        (parsed) => parsed.format,
        (error: unknown) => (error instanceof ParseFailure ? error.reason : String(error)),
      );
      // Read, or found to hold no words (a megabyte of backslashes); never a crash.
      expect(['markdown', 'empty']).toContain(outcome);
      expect(performance.now() - started).toBeLessThan(WELL_UNDER_A_STALL_MS);
    });
  }
});
