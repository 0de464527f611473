import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/main/core/ingest/chunking/chunker';
import { parseFile } from './helpers/parse-file';
import { displayText } from '../../src/main/core/search/snippet-text';

const JOURNAL = `#+TITLE: Garden journal
#+AUTHOR: Ann
#+STARTUP: overview
#+OPTIONS: toc:nil
# a note to myself

* Tomatoes
** TODO [#A] Stake the vines                                      :garden:summer:
   SCHEDULED: <2024-05-01 Wed>
   :PROPERTIES:
   :EFFORT:   0:30
   :END:
   Tie them loosely with *soft twine*, never /wire/; see =stakes.txt=.
** DONE Water at dawn
   :LOGBOOK:
   CLOCK: [2024-04-28 Sun 06:50]--[2024-04-28 Sun 07:10] =>  0:20
   :END:
   - use the rain barrel
   - check the [[https://example.com/soil][soil moisture guide]] and [[Roses][the roses]]
   - barrel :: the blue one
* Roses
      #+BEGIN_SRC sh :results silent
        echo prune
          echo again
      #+END_SRC
  #+BEGIN_QUOTE
  Prune above an outward bud.
  #+END_QUOTE
  : $ ls beds
  : north south
  | Bed   | Plant  |
  |-------+--------|
  | north | roses  |
`;

const parse = (text: string) => parseFile(text, 'garden.org', 'text/x-org');

describe('Org mode files', () => {
  it('are titled by #+TITLE and written as Markdown: headlines, blocks, links and emphasis', async () => {
    const parsed = await parse(JOURNAL);
    expect(parsed.title).toBe('Garden journal');
    expect(parsed.format).toBe('markdown');
    expect(parsed.text).toBe(
      [
        'Author: Ann',
        '',
        '# Tomatoes',
        '',
        '## TODO Stake the vines',
        '',
        'Tags: garden, summer',
        '',
        'SCHEDULED: <2024-05-01 Wed>',
        'Tie them loosely with **soft twine**, never *wire*; see `stakes.txt`.',
        '',
        '## DONE Water at dawn',
        '',
        '- use the rain barrel',
        '- check the [soil moisture guide](https://example.com/soil) and the roses',
        '- barrel: the blue one',
        '',
        '# Roses',
        '',
        '```sh',
        'echo prune',
        '  echo again',
        '```',
        '',
        '> Prune above an outward bud.',
        '',
        '```',
        '$ ls beds',
        'north south',
        '```',
        '',
        '| Bed   | Plant  |',
        '|-------|--------|',
        '| north | roses  |',
      ].join('\n'),
    );
  });

  it('have sections a search result can name, and read as text in snippets', async () => {
    const parsed = await parse(JOURNAL);
    const chunks = chunkDocument(parsed, { contentType: 'notes' });
    const stake = chunks.find((c) => c.text.includes('soft twine'));
    expect(stake?.headingPath).toEqual(['Tomatoes', 'TODO Stake the vines']);
    expect(displayText(stake!.text)).toContain('Tie them loosely with soft twine, never wire');
    const water = chunks.find((c) => c.text.includes('rain barrel'));
    expect(displayText(water!.text)).toContain('check the soil moisture guide and the roses');
  });

  it('keep the text of a drawer never closed, a date with its time, and no settings by odd names', async () => {
    const parsed = await parse(
      '#+DATE: 2024-05-01 10:00\n#+constructor: x\n#+FILETAGS: :garden:roses:\n* Beds\n:note:\nThe north bed floods.\n* Paths',
    );
    expect(parsed.text).toBe(
      'Date: 2024-05-01 10:00\n\nTags: garden, roses\n\n# Beds\n\n:note:\nThe north bed floods.\n\n# Paths',
    );
  });

  it('read emphasis at the start of a line, and leave arithmetic and paths as they are', async () => {
    const parsed = await parse('*bold claim* opens this line.\n2 * 3 * 4 = 24, and a/b/c is a path.\n');
    expect(parsed.title).toBeUndefined();
    expect(parsed.text).toBe('**bold claim** opens this line.\n2 * 3 * 4 = 24, and a/b/c is a path.');
  });
});
