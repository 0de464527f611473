import { describe, expect, it } from 'vitest';
import { symbolWordsTyped } from '../../src/main/core/search/symbol-words';
import { createLibrary, keywordTitles, searchServiceFor } from './library';

describe('the words of a query typed with their symbols', () => {
  it('are words with ++ or # after them, a dot before them, or a dot between two words', () => {
    for (const typed of ['C++', 'c++', 'g++', 'C#', 'F#', '.NET', '.bashrc', 'Node.js', 'ASP.NET', ' socket.io '])
      expect({ typed, words: symbolWordsTyped(typed) }).toEqual({ typed, words: [typed.trim()] });
    for (const typed of ['C', 'c templates', '3.11', 'e.g.', 'v2.0', '#', '++', 'a.b', '#tag', 'x.', 'C++-17', ''])
      expect({ typed, words: symbolWordsTyped(typed) }).toEqual({ typed, words: [] });
  });

  it('are found among other words, without the punctuation around them, once each', () => {
    expect(symbolWordsTyped('c++ templates')).toEqual(['c++']);
    expect(symbolWordsTyped('calling (C#) from node.js?')).toEqual(['C#', 'node.js']);
    expect(symbolWordsTyped('"C++" or C++, i.e. c++.')).toEqual(['C++']);
    expect(symbolWordsTyped('the end. Then more, e.g. this')).toEqual([]);
  });
});

describe('search for a word typed with its symbols', () => {
  const lib = createLibrary();
  lib.addConnector('docs', 'local_folder');
  const add = (title: string, chunks: string[]) => lib.addDocument({ connectorId: 'docs', title, chunks });
  // The index sees only "c" and "net": a list of C functions holds the letter c far more often than the
  // pages that write C++, C# or .NET.
  add('c-api-index.xml', [
    Array.from({ length: 40 }, (_, i) => `<function name="c.func${i}" link="c-api/c.html#c.func${i}" />`).join('\n'),
  ]);
  add('networking.md', [
    '# Networking\n\nThe net package: dial a net connection, net.Dial, net.Listen, the net of it.',
  ]);
  add('extending.md', ['# Extending in another language\n\nModules can be written in C++ or plain C.']);
  add('interop.md', ['# Interop\n\nCalling the runtime from C#, and from .NET assemblies in general.']);
  // A longer word that holds the letters is not the word.
  add('objc.md', ['# Objective-C\n\nObjC++ mixes the two; ObjC is c with messages.']);
  // Exceptions of C functions, many times over, and the one page on C++ exceptions.
  add('c-errors.md', [
    '# Errors in C functions\n\n' +
      Array.from({ length: 12 }, (_, i) => `A c function ${i} raises an exception; the c exception is set.`).join(' '),
  ]);
  add('cpp-errors.md', ['# Errors across languages\n\nA C++ exception must not cross into the interpreter.']);
  const { service } = searchServiceFor(lib, { embedder: false });
  const titles = (query: string) => keywordTitles(service, query);

  it('puts first the documents that write it so, in any case', async () => {
    expect((await titles('c++'))[0]).toBe('extending.md');
    expect((await titles('C#'))[0]).toBe('interop.md');
    expect((await titles('.net'))[0]).toBe('interop.md');
  });

  it('puts first, in a longer query, the documents that write every such word so', async () => {
    expect((await titles('c++ exceptions'))[0]).toBe('cpp-errors.md');
    expect((await titles('c exceptions'))[0]).toBe('c-errors.md');
    // No document writes both: the order is the search's own.
    expect((await titles('c++ and c# exceptions'))[0]).toBe((await titles('c and c exceptions'))[0]);
  });
});
