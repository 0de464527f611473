import { describe, expect, it } from 'vitest';
import { glossaryEntryPattern, termAsked, writtenForms } from '../../src/main/core/search/glossary-entries';
import { createLibrary, searchServiceFor, keywordTitles } from './library';

const defines = (text: string, term: string): boolean =>
  glossaryEntryPattern(writtenForms(termAsked(`what is ${term}`)!.spellings)).test(`\n\n${text}`);

describe('a definition question', () => {
  it('asks what one term of up to three words is', () => {
    expect(termAsked('what is the index')).toEqual({ spellings: ['index'] });
    expect(termAsked('What are decorators?')).toEqual({ spellings: ['decorators', 'decorator'] });
    expect(termAsked('what are branches')).toEqual({ spellings: ['branches', 'branch'] });
    expect(termAsked("what's a working tree")).toEqual({ spellings: ['working tree'] });
    expect(termAsked('define rebase')).toEqual({ spellings: ['rebase'] });
    for (const typed of [
      'what is the effect of heat transfer on the boundary layer',
      'how do I rename a branch',
      'index',
      'what is "the index"',
      'whatever is index',
      'what is a', // still being typed: no term yet
      'define the',
    ])
      expect({ typed, asked: termAsked(typed) }).toEqual({ typed, asked: null });
  });

  it('is answered by a glossary entry, as each format writes one', () => {
    const entries: Array<[string, string]> = [
      ['decorator\n\nA function returning another function, usually applied with @wrapper.', 'decorator'], // HTML
      ['[[def_index]]index::\n\tA collection of files with stat information.', 'index'], // AsciiDoc
      ['See below.\n\nIndex\n\nThe staging area.', 'index'],
      ['       index\n              The current index file.', 'index'], // a man page's list
      ['**Decorator**: a function that wraps another.', 'decorator'], // Markdown
      ['- **working tree** — the files checked out.', 'working tree'],
    ];
    for (const [text, term] of entries) expect({ text, defines: defines(text, term) }).toEqual({ text, defines: true });
  });

  it('is not answered by a heading, a word left alone by wrapping, a list of words or a longer term', () => {
    const others: Array<[string, string]> = [
      ['## Index\n\nThe index is where staged changes wait.', 'index'],
      ['The staging area is also called the\nindex\nin most of this manual.', 'index'],
      ['Topics:\n\n- index\n- branch\n- remote', 'index'],
      ['index\n\n- git-add\n- git-rm', 'index'],
      ['index file\n\nThe file that holds the index.', 'index'],
    ];
    for (const [text, term] of others) expect({ text, defines: defines(text, term) }).toEqual({ text, defines: false });
  });
});

describe('search for a definition question', () => {
  const lib = createLibrary();
  lib.addConnector('docs', 'local_folder');
  const add = (title: string, chunks: string[]) =>
    lib.addDocument({ connectorId: 'docs', title, chunks, mimeType: 'text/markdown', code: false });
  // More pages than the keyword pool holds (300 chunks) answer the question's function words best and name
  // the term once; a glossary defines it among other entries and names it most, so only the term alone
  // finds it among its first fifty.
  for (let i = 0; i < 320; i++) {
    add(`faq-${i}.md`, [`What is it? It is what it is, and a generator is what it is, ${i}.`]);
  }
  add('glossary.md', [
    'coroutine\n\nA function that can be suspended and resumed.\n\n' +
      'generator\n\nGenerator functions return a generator iterator.\n\n' +
      'iterable\n\nAn object capable of returning its members one at a time.',
  ]);
  const { service } = searchServiceFor(lib, { embedder: false });
  const titles = (query: string) => keywordTitles(service, query, 100);

  it('puts the glossary entry first, found by the term alone when the question leaves it out', async () => {
    expect((await titles('what is a generator'))[0]).toBe('glossary.md');
    expect((await titles('what are generators?'))[0]).toBe('glossary.md');
  });
});
