import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/main/core/ingest';
import { withoutManPageFurniture } from '../../src/main/core/ingest/man-page-furniture';
import { parsePlain } from '../../src/main/core/ingest/parsers/text';

const HEADER = 'GRIND(1)                      User Commands                      GRIND(1)';
const FOOTER = 'grind 1.0                      March 2026                        GRIND(1)';

/** The page as it reads, without furniture. */
const BODY = [
  'NAME',
  '       grind - turn coffee beans into grounds',
  '',
  'DESCRIPTION',
  '       Grind the beans to the chosen size.',
  '',
  'SEE ALSO',
  '       brew(1)',
];

/** The page as `man grind | col -bx` renders it: one header, one footer. */
const PAGE = [HEADER, '', ...BODY, '', FOOTER, ''].join('\n');

describe("a rendered manual page's running header and footer", () => {
  it('are dropped from the text, which still opens with NAME and keeps every line of the body', () => {
    expect(withoutManPageFurniture(PAGE)).toBe(`${BODY.join('\n')}\n`);
  });

  it('leave the title read from the NAME line, and no chunk holds "User Commands" or the date line', () => {
    const parsed = parsePlain(PAGE);
    expect(parsed.title).toBe('grind - turn coffee beans into grounds');
    const chunks = chunkDocument(parsed, { contentType: 'documentation' });
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      expect(chunk.text).not.toContain('User Commands');
      expect(chunk.text).not.toContain('March 2026');
      expect(chunk.text).toBe(parsed.text.slice(chunk.charStart, chunk.charEnd));
    }
  });

  it('are dropped at every page break of a paginated rendering (nroff -man), the pages between kept', () => {
    const paginated = [
      HEADER,
      '',
      'NAME',
      '       grind - turn coffee beans into grounds',
      '',
      FOOTER,
      '',
      '',
      HEADER,
      '',
      'DESCRIPTION',
      '       Grind the beans.',
      '',
      FOOTER,
    ].join('\n');
    const text = withoutManPageFurniture(paginated);
    expect(text).not.toContain('GRIND(1)');
    expect(text).toContain('       grind - turn coffee beans into grounds');
    expect(text).toContain('DESCRIPTION\n       Grind the beans.');
  });

  it('include a footer that is the page name alone at the right margin, but not an indented line of the body', () => {
    const rightAligned = PAGE.replace(FOOTER, `${' '.repeat(60)}GRIND(1)`);
    expect(withoutManPageFurniture(rightAligned)).not.toContain('GRIND(1)');
    // No footer: the last line is the body's reference, indented as body text is.
    const noFooter = PAGE.replace(`\n\n${FOOTER}\n`, '\n       GRIND(1)\n');
    expect(withoutManPageFurniture(noFooter).trimEnd().endsWith('       GRIND(1)')).toBe(true);
  });

  it('are recognised with an empty section or a middle that runs into the repeated name', () => {
    const empty = PAGE.replace(HEADER, 'GRIND()                                                  GRIND()').replace(
      'GRIND(1)',
      'GRIND()',
    );
    expect(parsePlain(empty).title).toBe('grind - turn coffee beans into grounds');
    expect(parsePlain(empty).text.startsWith('NAME')).toBe(true);
    const crowded = PAGE.replace(HEADER, 'GRIND-BEANS-FOR-ME(1) grind-beans-for-me-nowGRIND-BEANS-FOR-ME(1)');
    expect(parsePlain(crowded).title).toBe('grind - turn coffee beans into grounds');
    expect(parsePlain(crowded).text.startsWith('NAME')).toBe(true);
  });

  it('leave other text exactly as it is', () => {
    for (const text of [
      'Shopping list\n\nFlour, water, salt.\n',
      'see grind(1) and brew(1)\n\nNotes on the grinders.\n',
      '',
      '\n\n',
      `${HEADER.replace('GRIND(1)', 'GRIND(8)')}\n\nNAME\n`,
    ]) {
      expect(withoutManPageFurniture(text), JSON.stringify(text)).toBe(text);
    }
  });

  it('are not looked for on a first line longer than any header (a whole file on one line stays as it is)', () => {
    const oneLine = `${'(x'.repeat(100_000)}`;
    expect(withoutManPageFurniture(oneLine)).toBe(oneLine);
    expect(parsePlain(`${oneLine}\nmore`).text).toBe(`${oneLine}\nmore`);
  });
});
