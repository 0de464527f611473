import { describe, expect, it } from 'vitest';
import { buildMatchExpression } from '../../src/main/core/search/fts-query';
import { parseDateValue, resolveOperators, type SourceRef } from '../../src/main/core/search/query-operators';
import { parseQuerySyntax } from '../../src/main/core/search/query-syntax';

const parse = parseQuerySyntax;

describe('query syntax', () => {
  it('takes a name typed as one run as its words together too, and a camelCase name in a phrase for highlighting', () => {
    const s = parse('max_retry_count foldNearDuplicates "calls parseHTTPResponse" -skipThis JavaScript budget');
    expect(s.words).toEqual(['max', 'retry', 'count', 'foldnearduplicates', 'javascript', 'budget']);
    expect(s.compounds).toEqual([
      ['max', 'retry', 'count'],
      ['fold', 'near', 'duplicates'],
      ['java', 'script'],
    ]);
    expect(s.quotedNames).toEqual([['parse', 'http', 'response']]);
    expect(s.excluded).toEqual([['skipthis']]);
  });

  it('knows a word typed with a hyphen between letters, and where its parts are', () => {
    const s = parse('send e-mail with up-to-date --dry-run x-1 re--index attachments');
    expect(s.words).toEqual([
      'send',
      'e',
      'mail',
      'with',
      'up',
      'to',
      'date',
      'dry',
      'run',
      'x',
      '1',
      're',
      'index',
      'attachments',
    ]);
    expect(s.hyphenated).toEqual([
      { parts: ['e', 'mail'], at: 1 },
      { parts: ['up', 'to', 'date'], at: 4 },
    ]);
  });

  it('reads phrases, exclusions, title words and filters, in the order typed', () => {
    const s = parse(
      'budget "exact plan" -draft -"old plan" title:report -title:"first draft" type:pdf in:"My Drive" after:2025-01-01 before:2025-07',
    );
    expect(s.words).toEqual(['budget']);
    expect(s.phrases).toEqual([['exact', 'plan']]);
    expect(s.excluded).toEqual([['draft'], ['old', 'plan']]);
    expect(s.titles).toEqual([['report']]);
    expect(s.excludedTitles).toEqual([['first', 'draft']]);
    expect(s.operators.map((o) => [o.kind, o.text, o.value, o.negated])).toEqual([
      ['phrase', '"exact plan"', 'exact plan', false],
      ['exclude', '-draft', 'draft', true],
      ['exclude', '-"old plan"', 'old plan', true],
      ['title', 'title:report', 'report', false],
      ['title', '-title:"first draft"', 'first draft', true],
      ['type', 'type:pdf', 'pdf', false],
      ['in', 'in:"My Drive"', 'My Drive', false],
      ['after', 'after:2025-01-01', '2025-01-01', false],
      ['before', 'before:2025-07', '2025-07', false],
    ]);
  });

  it('keeps words that only look like operators as words', () => {
    expect(parse('meeting at 10:30 note: see http://x.y e-mail').words).toEqual([
      'meeting',
      'at',
      '10',
      '30',
      'note',
      'see',
      'http',
      'x',
      'y',
      'e',
      'mail',
    ]);
    expect(parse('meeting at 10:30').operators).toEqual([]);
    // A lone or doubled dash excludes nothing.
    expect(parse('- -- a-b').excluded).toEqual([]);
    expect(parse('TITLE:Report').titles).toEqual([['report']]);
  });

  it('treats an unbalanced quote as loose words, still being typed', () => {
    const s = parse('"boundary lay');
    expect(s.phrases).toEqual([]);
    expect(s.words).toEqual(['boundary', 'lay']);
    expect(s.typingLast).toBe(true);
    expect(parse('heat transf').typingLast).toBe(true);
    expect(parse('heat transf ').typingLast).toBe(false);
    expect(parse('heat transf.').typingLast).toBe(false);
    expect(parse('heat "transfer"').typingLast).toBe(false);
    expect(parse('heat type:pdf').typingLast).toBe(false);
  });

  it('names a malformed operator and how to write it', () => {
    expect(() => parse('title:')).toThrow(/"title:" needs a value.*title:report/);
    expect(() => parse('report type: pdf')).toThrow(/"type:" needs a value.*type:pdf/);
    expect(() => parse('title:"" x')).toThrow(/needs a value/);
    expect(() => parse('x -type:pdf')).toThrow(/"-type:pdf" cannot be negated/);
    for (const bad of ['title:', 'in:', '-in:x', 'after:']) {
      expect(() => parse(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
  });
});

describe('query operators', () => {
  const sources: SourceRef[] = [
    { id: 'c1', name: 'Work notes', type: 'local_folder' },
    { id: 'c2', name: 'My Drive', type: 'google_drive' },
    { id: 'c3', name: 'Wiki', type: 'notion' },
  ];
  const resolve = (q: string, filters?: Parameters<typeof resolveOperators>[1]) =>
    resolveOperators(parse(q).operators, filters, sources);

  it('turns type: into MIME types: kinds, extensions and MIME types written out', () => {
    expect(resolve('x type:pdf').filters).toEqual({ mimeTypes: ['application/pdf'] });
    expect(resolve('x type:PY').filters).toEqual({ mimeTypes: ['text/x-python'] });
    expect(resolve('x type:application/json').filters).toEqual({ mimeTypes: ['application/json'] });
    expect(resolve('x type:code').filters?.mimeTypes).toEqual(
      expect.arrayContaining(['text/x-typescript', 'text/x-go']),
    );
    // Several type: operators widen each other.
    expect(resolve('x type:pdf type:md').filters?.mimeTypes).toEqual([
      'application/pdf',
      'text/markdown',
      'text/x-markdown',
    ]);
    expect(() => resolve('x type:banana')).toThrow(/no file type "banana".*pdf/);
    // Names an object answers from its prototype are no types either (they were "kind is not iterable").
    expect(() => resolve('x type:constructor')).toThrow(/no file type "constructor"/);
    expect(() => resolve('x type:__proto__')).toThrow(/no file type "__proto__"/);
  });

  it('finds in: sources by name (any case, quoted when spaced), then by kind', () => {
    expect(resolve('x in:wiki').filters).toEqual({ connectorIds: ['c3'] });
    expect(resolve('x in:"my drive"').filters).toEqual({ connectorIds: ['c2'] });
    expect(resolve('x in:drive').filters).toEqual({ connectorIds: ['c2'] });
    expect(resolve('x in:notion in:Wiki').filters).toEqual({ connectorIds: ['c3'] });
    expect(() => resolve('x in:elsewhere')).toThrow(/no source is named "elsewhere".*"Work notes", "My Drive", "Wiki"/);
    expect(() => resolve('x in:constructor')).toThrow(/no source is named "constructor"/);
  });

  it('reads dates as local midnights: after: from that day on, before: up to the day before', () => {
    const r = resolve('x after:2025-03 before:2025-03-15');
    expect(r.filters).toEqual({
      modifiedFrom: new Date(2025, 2, 1).getTime(),
      modifiedTo: new Date(2025, 2, 15).getTime() - 1,
    });
    expect(r.operators.map((o) => o.date)).toEqual([new Date(2025, 2, 1).getTime(), new Date(2025, 2, 15).getTime()]);
    expect(parseDateValue('2024')).toBe(new Date(2024, 0, 1).getTime());
    expect(parseDateValue('2024/2/29')).toBe(new Date(2024, 1, 29).getTime());
    for (const bad of ['2025-02-30', '2025-13', '25-01-01', 'yesterday', '2025-1-1x'])
      expect(parseDateValue(bad)).toBeNull();
    expect(() => resolve('x after:2025-02-30')).toThrow(/"after:2025-02-30" is not a date.*after:2025-01-31/);
  });

  it('narrows the request filters (both must hold) and says when nothing can match', () => {
    const both = resolve('x type:pdf in:wiki', {
      mimeTypes: ['application/pdf', 'text/markdown'],
      connectorIds: ['c1', 'c3'],
    });
    expect(both.filters).toMatchObject({ mimeTypes: ['application/pdf'], connectorIds: ['c3'] });
    expect(both.contradictory).toBe(false);
    expect(resolve('x type:pdf', { mimeTypes: ['text/markdown'] }).contradictory).toBe(true);
    expect(resolve('x after:2025-06 before:2025-01').contradictory).toBe(true);
    expect(resolve('x after:2025-06', { modifiedFrom: Date.UTC(2026, 0, 1) }).filters?.modifiedFrom).toBe(
      Date.UTC(2026, 0, 1),
    );
  });
});

describe('FTS5 expression', () => {
  it('quotes every word, ORs loose words, requires phrases and title words, and leaves exclusions out', () => {
    const parts = { terms: [], phrases: [], titles: [], excluded: [], excludedTitles: [] };
    expect(buildMatchExpression({ ...parts, terms: [{ token: 'boundary' }, { token: 'lay', prefix: true }] })).toBe(
      '"boundary" OR "lay"*',
    );
    expect(buildMatchExpression({ ...parts, terms: [{ token: 'heat' }], phrases: [['boundary', 'layer']] })).toBe(
      '"boundary layer" AND ("boundary layer" OR "heat")',
    );
    expect(
      buildMatchExpression({
        ...parts,
        titles: [['report']],
        excluded: [['draft']],
        excludedTitles: [['old', 'plan']],
      }),
    ).toBe('({title} : "report") NOT ("draft" OR {title} : "old plan")');
    expect(buildMatchExpression({ ...parts, excluded: [['draft']] })).toBeNull();
    expect(buildMatchExpression({ ...parts, terms: [{ token: 'it"s' }] })).toBe('"it""s"');
  });
});
