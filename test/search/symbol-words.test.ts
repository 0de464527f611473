import { describe, expect, it } from 'vitest';
import { symbolWordTyped } from '../../src/main/core/search/symbol-words';
import { createLibrary, keywordTitles, searchServiceFor } from './library';

describe('a word typed with its symbols', () => {
  it('is one word with ++ or # after it, a dot before it, or a dot between two words', () => {
    for (const typed of ['C++', 'c++', 'g++', 'C#', 'F#', '.NET', '.bashrc', 'Node.js', 'ASP.NET', ' socket.io '])
      expect({ typed, word: symbolWordTyped(typed) }).toEqual({ typed, word: typed.trim() });
    for (const typed of ['C', 'c++ templates', '3.11', 'e.g.', 'v2.0', '#', '++', 'a.b', '#tag', 'x.', 'C++-17'])
      expect({ typed, word: symbolWordTyped(typed) }).toEqual({ typed, word: null });
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
  const { service } = searchServiceFor(lib, { embedder: false });
  const titles = (query: string) => keywordTitles(service, query);

  it('puts first the documents that write it so, in any case', async () => {
    expect((await titles('c++'))[0]).toBe('extending.md');
    expect((await titles('C#'))[0]).toBe('interop.md');
    expect((await titles('.net'))[0]).toBe('interop.md');
  });
});
