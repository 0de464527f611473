import type { Database } from 'better-sqlite3';

/** A chunk read to check what it declares or documents. */
export interface ChunkRow {
  id: number;
  documentId: string;
  text: string;
  structure: string;
  /** The fence of the code block the chunk begins inside (ingest's open-fences.ts), or null. */
  openFence: string | null;
}

/** The column of a chunk's open fence, read from its `metadata` (ChunkRow.openFence). */
export const OPEN_FENCE = (metadata: string): string => `json_extract(${metadata}, '$.openFence') AS openFence`;

/** The chunk text in `column` holds one of the names (`@names`, a JSON array) as written. */
export const holdsAName = (column: string): string =>
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
      `SELECT c.id, c.imported_document_id AS documentId, c.chunk_text AS text, c.structure_type AS structure,
         ${OPEN_FENCE('c.metadata')}
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
 * The chunks `ids` (a search's pool) that hold one of `spellings` as
 * written: for a name of words in every other chunk ("all"), where reading
 * every chunk of the documents that holds them would cost more than the
 * search.
 */
export function pooledChunksNaming(db: Database, ids: readonly number[], spellings: readonly string[]): ChunkRow[] {
  return db
    .prepare(
      `SELECT id, imported_document_id AS documentId, chunk_text AS text, structure_type AS structure,
         ${OPEN_FENCE('metadata')}
       FROM imported_doc_chunks WHERE id IN (SELECT value FROM json_each(@chunks)) ${holdsAName('chunk_text')}`,
    )
    .all({ chunks: JSON.stringify(ids), names: JSON.stringify(spellings) }) as ChunkRow[];
}
