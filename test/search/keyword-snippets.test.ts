import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { CHUNKS_FTS_TOKENIZER, keywordSnippets } from '../../src/main/core/search/keyword-snippets';

describe('keyword snippets', () => {
  it('use the very tokenizer of the chunk index, so a stemmed match is highlighted as it was found', () => {
    const db = openDatabase(':memory:');
    const ddl = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'chunks_fts'`).pluck().get() as string;
    expect(ddl.replace(/\s+/g, ' ')).toContain(`tokenize = '${CHUNKS_FTS_TOKENIZER}'`);

    const match = '"flow" OR "separation"';
    const snippets = keywordSnippets(db, match, [
      { id: 7, text: 'The flows separated near the trailing edge, as separations do.' },
      { id: 9, text: 'Nothing here mentions the query words at all.' },
    ]);
    expect([...snippets.keys()]).toEqual([7]);
    const marked = snippets
      .get(7)!
      .filter((s) => s.match)
      .map((s) => s.text);
    expect(marked).toEqual(['flows', 'separated', 'separations']);
    // Nothing of the page copy is written to the library file.
    expect(db.prepare(`SELECT count(*) FROM main.sqlite_master WHERE name LIKE '%snippet%'`).pluck().get()).toBe(0);

    // A second page replaces the first one's rows, in the index as in the texts, whatever their ids.
    const next = keywordSnippets(db, match, [{ id: 11, text: 'Separation bubbles.' }]);
    expect([...next.keys()]).toEqual([11]);
    const reused = keywordSnippets(db, '"trailing" OR "bubble"', [{ id: 7, text: 'Bubbles rose in the tank.' }]);
    expect(
      reused
        .get(7)
        ?.map((s) => s.text)
        .join(''),
    ).toBe('Bubbles rose in the tank.');
    expect(keywordSnippets(db, '"trailing"', [{ id: 7, text: 'Bubbles rose in the tank.' }]).size).toBe(0);
    db.close();
  });
});

describe('keyword snippets in code', () => {
  const shownText = (segments: Array<{ text: string }>): string => segments.map((s) => s.text).join('');
  const code = (lines: string[]): string => ['```', ...lines, '```'].join('\n');

  it('show whole lines of code, not a line cut where the highlighter cut its window', () => {
    const db = openDatabase(':memory:');
    const lines = Array.from({ length: 60 }, (_, i) => `    total += entry.amounts[${i}] * RATE_${i}`);
    lines[30] = '    total -= entry.kwrefundzq  # refunds come last';
    const [segments] = [...keywordSnippets(db, '"kwrefundzq"', [{ id: 1, text: code(lines) }]).values()];
    const shown = shownText(segments!);
    expect(segments!.filter((s) => s.text !== '…').every((s) => s.code)).toBe(true);
    // Opens and ends on whole lines (less the indentation all the shown lines share).
    const shownLines = shown.replace(/^…|…$/g, '').split('\n');
    expect(shownLines[0]).toMatch(/^\s*total \+= entry\.amounts\[\d+\] \* RATE_\d+$/);
    expect(shownLines.at(-1)).toMatch(/^\s*total \+= entry\.amounts\[\d+\] \* RATE_\d+$/);
    expect(shown).toContain('total -= entry.kwrefundzq');
    db.close();
  });

  it('leave a window as it was cut where its start is not found once in the text', () => {
    const db = openDatabase(':memory:');
    // Every line alike: the window's first characters are on many lines, so no line's start can be told.
    const lines = Array.from({ length: 60 }, () => '    x = x + 1; y = y + 1; z = z + 1; w = w + 1');
    lines[30] = '    kwmarkzq = x';
    const [segments] = [...keywordSnippets(db, '"kwmarkzq"', [{ id: 1, text: code(lines) }]).values()];
    expect(shownText(segments!)).toContain('kwmarkzq = x');
    db.close();
  });
});
