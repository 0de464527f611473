import { describe, expect, it } from 'vitest';
import { identifierIndexTerms, identifierParts } from '../../src/main/core/db/identifier-terms';
import { migrate } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import type { SnippetSegment } from '../../src/main/core/search/types';
import { createLibrary, searchServiceFor } from './library';
import { databaseAt } from '../helpers/database-at';

const SOURCE = [
  '/** Folds copies into one result. */',
  'export function foldNearDuplicates(groups: FusedGroup[]): FusedGroup[] {',
  '  return groups.filter((g) => !g.copyOf);',
  '}',
].join('\n');
const NOTE = 'JavaScript tips: prefer const, and let the linter guard the rest.';

/** The marked words of a snippet ("Near|Duplicates" for two marks side by side). */
const marked = (segments: readonly SnippetSegment[]): string[] => {
  const words: string[] = [];
  let previousMatched = false;
  for (const s of segments) {
    if (s.match && previousMatched) words[words.length - 1] += `|${s.text}`;
    else if (s.match) words.push(s.text);
    previousMatched = s.match;
  }
  return words;
};

function library() {
  const lib = createLibrary();
  lib.addConnector('folder');
  const code = lib.addDocument({ connectorId: 'folder', title: 'fold.ts', chunks: [SOURCE], code: true });
  lib.addDocument({ connectorId: 'folder', title: 'tips.md', chunks: [NOTE] });
  const { service } = searchServiceFor(lib, { embedder: false });
  const search = async (query: string) => (await service.search({ query, mode: 'keyword' })).groups;
  return { lib, service, code, search };
}

describe('words inside camelCase names in source code', () => {
  it('finds a function by the words of its name, marked where they stand in it', async () => {
    const { lib, search } = library();
    try {
      const found = await search('near duplicates');
      expect(found.map((g) => g.document.title)).toEqual(['fold.ts']);
      expect(marked(found[0]!.chunks[0]!.snippet)).toEqual(['NearDuplicates']);
      // Stems as everywhere else: "duplicate" finds Duplicates.
      expect((await search('duplicate')).map((g) => g.document.title)).toEqual(['fold.ts']);
    } finally {
      lib.db.close();
    }
  });

  it('marks a name typed whole, in any case or quoted, as the whole name', async () => {
    const { lib, search } = library();
    try {
      for (const query of ['foldNearDuplicates', 'foldnearduplicates', '"foldNearDuplicates"']) {
        const found = await search(query);
        expect({ query, titles: found.map((g) => g.document.title) }).toEqual({ query, titles: ['fold.ts'] });
        const words = marked(found[0]!.chunks[0]!.snippet);
        expect({ query, words }).toEqual({ query, words: [expect.stringMatching(/^fold\|?Near\|?Duplicates$/)] });
      }
    } finally {
      lib.db.close();
    }
  });

  it('leaves brand names in prose whole: "script" does not find a note about JavaScript', async () => {
    const { lib, search } = library();
    try {
      expect(await search('script')).toEqual([]);
      expect((await search('javascript')).map((g) => g.document.title)).toEqual(['tips.md']);
    } finally {
      lib.db.close();
    }
  });

  it('marks the words in the preview too', async () => {
    const { lib, service, code } = library();
    try {
      const context = service.context({ chunkId: code.chunkIds[0]!, around: 1, query: 'near duplicates' });
      const anchor = context.chunks.find((c) => c.chunkId === code.chunkIds[0]);
      expect(marked(anchor!.segments)).toEqual(['NearDuplicates']);
    } finally {
      lib.db.close();
    }
  });

  it('cuts names at each change of case, acronyms and digits included, and nothing else', () => {
    expect(identifierParts('foldNearDuplicates')).toEqual(['fold', 'Near', 'Duplicates']);
    expect(identifierParts('XMLHttpRequest')).toEqual(['XML', 'Http', 'Request']);
    expect(identifierParts('IOError')).toEqual(['IO', 'Error']);
    expect(identifierParts('utf8Decode')).toEqual(['utf', '8', 'Decode']);
    for (const word of ['budget', 'Budget', 'JSON', 'sha256sum', 'max_retry_count'])
      expect(identifierParts(word)).toBeNull();
    // One line per distinct name, however often it is used.
    expect(identifierIndexTerms('a = parseHTTPResponse(x); b = parseHTTPResponse(y); max_retry_count = 3')).toBe(
      '\nparse http response',
    );
    expect(identifierIndexTerms('plain words only')).toBe('');
  });
});

describe('migration 12: the words of names in code already indexed', () => {
  function libraryAt11() {
    const db = databaseAt(11);
    const doc = db.prepare(
      `INSERT INTO imported_documents (id, connector_id, external_id, title, sync_status, created_at, updated_at)
       VALUES (?, 'c', ?, ?, 'completed', 1, 1)`,
    );
    doc.run('java', 'JobQueue.java', 'JobQueue.java');
    doc.run('notes', 'JavaScriptNotes.md', 'JavaScriptNotes.md');
    const chunk = db.prepare(
      `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
         structure_type, boundary_type, content_hash, heading_path, char_start, char_end, chunker_version, created_at)
       VALUES (?, 'c', ?, ?, 'adaptive', ?, 'document_end', ?, ?, 0, 1, 1, 1)`,
    );
    const add = (docId: string, index: number, text: string, type: string, headings: string[] = []) =>
      chunk.run(docId, index, text, type, `h${docId}${index}`, JSON.stringify(headings));
    const matching = (expr: string) =>
      db.prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid`).pluck().all(expr);
    return { db, add, matching };
  }

  it('indexes them in the text, title and headings of chunks of code only', () => {
    const { db, add, matching } = libraryAt11();
    add('java', 0, SOURCE, 'code', ['class JobQueue', 'enqueue()']);
    add('notes', 0, NOTE, 'paragraph', ['UsefulTips']);
    expect(matching('"near"')).toEqual([]);

    expect(migrate(db, MIGRATIONS, 12)).toEqual([12]);
    expect(matching('"near duplicates"')).toEqual([1]);
    expect(matching('"foldnearduplicates"')).toEqual([1]);
    expect(matching('{title} : "job queue"')).toEqual([1]);
    expect(matching('{heading} : "job queue"')).toEqual([1]);
    // Prose, its title and its headings keep such names whole.
    expect(matching('"script"')).toEqual([]);
    expect(matching('"useful"')).toEqual([]);
    expect(matching('{title} : "javascriptnotes"')).toEqual([2]);
    db.close();
  });

  it('keeps the index in step as chunks are written and changed and documents renamed', () => {
    const { db, add, matching } = libraryAt11();
    migrate(db, MIGRATIONS, 12);
    add('java', 0, SOURCE, 'code', ['class JobQueue']);
    expect(matching('"near duplicates"')).toEqual([1]);
    db.prepare(`UPDATE imported_doc_chunks SET chunk_text = 'const retryBudget = 3;' WHERE id = 1`).run();
    expect(matching('"near"')).toEqual([]);
    expect(matching('"retry budget"')).toEqual([1]);
    db.prepare(`UPDATE imported_documents SET title = 'TaskRunner.java' WHERE id = 'java'`).run();
    expect(matching('{title} : "task runner"')).toEqual([1]);
    expect(matching('{title} : "job"')).toEqual([]);
    expect(matching('{heading} : "job queue"')).toEqual([1]);
    // Read again as prose: the words of its names leave the index.
    db.prepare(`UPDATE imported_doc_chunks SET structure_type = 'paragraph' WHERE id = 1`).run();
    expect(matching('"retry budget"')).toEqual([]);
    expect(matching('{title} : "task runner"')).toEqual([]);
    db.close();
  });
});
