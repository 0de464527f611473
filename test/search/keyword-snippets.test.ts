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

    // A second page replaces the first one's rows.
    const next = keywordSnippets(db, match, [{ id: 11, text: 'Separation bubbles.' }]);
    expect([...next.keys()]).toEqual([11]);
    db.close();
  });
});
