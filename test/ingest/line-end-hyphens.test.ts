import { describe, expect, it } from 'vitest';
import { joinLineEndHyphens } from '../../src/main/core/ingest/line-end-hyphens';
import { parseContent } from '../../src/main/core/ingest';
import { makePdf } from '../fixtures/documents';

const join = (text: string): string => joinLineEndHyphens([text])[0]!;

describe('words broken at a line end with an ASCII hyphen', () => {
  it('are joined when the document writes the word whole elsewhere', () => {
    expect(join('Fill it with a DER en-\n  coding string.\nThe encoding must be complete.')).toBe(
      'Fill it with a DER encoding\n  string.\nThe encoding must be complete.',
    );
    // The evidence may be on another page; each page keeps its own text.
    expect(joinLineEndHyphens(['a declara-\ntion of types', 'Every declaration ends there.'])).toEqual([
      'a declaration\nof types',
      'Every declaration ends there.',
    ]);
  });

  it('keep their hyphen when the document writes the compound on one line, or the halves as words of their own', () => {
    expect(join('a well-\nknown fact; a well-known one')).toBe('a well-known\nfact; a well-known one');
    expect(join('The left-\nhand side. Put it on the left, by hand.')).toBe(
      'The left-hand\nside. Put it on the left, by hand.',
    );
    expect(join('a state-of-the-\nart parser')).toBe('a state-of-the-art\nparser');
  });

  it('are joined without evidence when the first half is no word of the document', () => {
    expect(join('the docu-\nment is signed')).toBe('the document\nis signed');
    // The line the word filled goes, instead of leaving a blank line that would split the paragraph.
    expect(join('it was cre-\nated.\n\nNext paragraph.')).toBe('it was created.\n\nNext paragraph.');
  });

  it('in capitals throughout are joined too; names, numbers and dashes are left alone', () => {
    expect(join('a SE-\nQUENCE of it; each SEQUENCE holds')).toBe('a SEQUENCE\nof it; each SEQUENCE holds');
    for (const text of ['Ask Smith-\nJones about it', 'the COVID-\n19 years', 'dash at the end -\nnext', 'x-\n']) {
      expect(join(text), text).toBe(text);
    }
  });

  it('stays linear on a run of letters thousands long', () => {
    const run = `${'a'.repeat(200_000)}-\nb`;
    expect(join(run)).toBe(run);
    expect(join(`${'a'.repeat(60)}-\nbc and more`)).toBe(`${'a'.repeat(60)}-\nbc and more`);
  });

  it('are joined in a PDF text layer, so a search for the word finds it', async () => {
    const pdf = await makePdf(['The DER en-\ncoding is checked first.\nEach encoding names its type.']);
    const parsed = await parseContent({ kind: 'bytes', bytes: pdf, fileName: 'asn1.pdf', mimeType: 'application/pdf' });
    expect(parsed.text).toContain('The DER encoding\nis checked first.');
  });
});
