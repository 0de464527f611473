import { describe, expect, it } from 'vitest';
import { parseQuery, toMatchExpression } from '../../src/main/core/search/fts-query';

const expr = (q: string) => toMatchExpression(parseQuery(q));

describe('FTS query building', () => {
  it('quotes every word and ORs loose words, dropping stopwords', () => {
    expect(expr('what is the boundary layer ?')).toBe('"boundary" OR "layer"');
    expect(expr('the')).toBe('"the"*');
    expect(expr('the of ')).toBe('"the" OR "of"');
  });

  it('keeps operators and column filters as plain words', () => {
    expect(expr('title:x AND NEAR(y) ')).toBe('"title" OR "x" OR "y"');
  });

  it('requires quoted phrases and keeps other words optional', () => {
    expect(expr('"boundary layer" heat ')).toBe('"boundary layer" AND ("boundary layer" OR "heat")');
    expect(expr('"boundary layer"')).toBe('"boundary layer"');
  });

  it('prefix-matches the last word only while it is being typed', () => {
    expect(expr('heat transf')).toBe('"heat" OR "transf"*');
    expect(expr('heat transf.')).toBe('"heat" OR "transf"');
  });

  it('treats an unbalanced quote as plain words and returns null for nothing searchable', () => {
    expect(expr('"boundary layer')).toBe('"boundary" OR "layer"*');
    expect(expr('🙂 *** ^')).toBeNull();
    expect(expr('')).toBeNull();
  });
});
