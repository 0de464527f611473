import type { Database } from 'better-sqlite3';

/**
 * How many of the best-ranked documents a search reads to check what was
 * typed (a declaration, an option's entry, a glossary entry, a word written
 * with symbols): the document asked for ranks among them, as it holds the
 * words typed, and reading more would cost more than the search.
 */
export const GROUPS_READ = 50;

/** A chunk read to check what it declares or documents. */
export interface ChunkRow {
  id: number;
  documentId: string;
  text: string;
  structure: string;
  /** The fence of the code block the chunk begins inside (ingest's open-fences.ts), or null. */
  openFence: string | null;
}

/** The columns of a ChunkRow, from `imported_doc_chunks` under `alias` (the open fence from its metadata). */
const chunkColumns = (alias: string): string =>
  `${alias}.id, ${alias}.imported_document_id AS documentId, ${alias}.chunk_text AS text,
   ${alias}.structure_type AS structure, json_extract(${alias}.metadata, '$.openFence') AS openFence`;

/** The chunk text in `column` holds one of the names (`@names`, a JSON array) as written. */
const holdsAName = (column: string): string =>
  `AND EXISTS (SELECT 1 FROM json_each(@names) AS name WHERE instr(${column}, name.value) > 0)`;

/**
 * Every chunk of `documents` (ids) that holds one of `spellings` as
 * written (the first gives the words), pooled by BM25 or not: found by
 * its words side by side, then checked literally. A page that documents a
 * name mentions it in many places, and the entry that documents it, long
 * with parameters and their description, need not be among the chunks BM25
 * pooled: `os.path.join`'s entry was not, on Python's documentation.
 * SQLite's instr() keeps the other chunks' texts from being read into
 * JavaScript.
 */
export function chunksNaming(db: Database, documents: readonly string[], spellings: readonly string[]): ChunkRow[] {
  const words = (spellings[0] ?? '').split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
  if (words.length === 0) return [];
  return db
    .prepare(
      `SELECT ${chunkColumns('c')}
       FROM chunks_fts JOIN imported_doc_chunks c ON c.id = chunks_fts.rowid
       WHERE chunks_fts MATCH @phrase AND c.imported_document_id IN (SELECT value FROM json_each(@documents))
         ${holdsAName('c.chunk_text')}`,
    )
    .all({
      phrase: `chunk_text : "${words.join(' ')}"`,
      documents: JSON.stringify(documents),
      names: JSON.stringify(spellings),
    }) as ChunkRow[];
}

/**
 * The chunks `ids` (a search's pool), of code only when `codeOnly`, and
 * with `names` only those that hold one of them as written. Reading the
 * pool is bounded by its size: for a name of words in nearly every chunk
 * ("all"), reading every chunk of the documents that holds them would cost
 * more than the search. SQLite's instr() keeps the other chunks' texts from
 * being read into JavaScript.
 */
export function pooledChunks(
  db: Database,
  ids: readonly number[],
  options: { names?: readonly string[]; codeOnly?: boolean },
): ChunkRow[] {
  return db
    .prepare(
      `SELECT ${chunkColumns('c')} FROM imported_doc_chunks c WHERE c.id IN (SELECT value FROM json_each(@chunks))
         ${options.codeOnly ? `AND c.structure_type = 'code'` : ''} ${options.names ? holdsAName('c.chunk_text') : ''}`,
    )
    .all({
      chunks: JSON.stringify(ids),
      ...(options.names ? { names: JSON.stringify(options.names) } : {}),
    }) as ChunkRow[];
}
