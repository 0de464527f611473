import type { Database } from 'better-sqlite3';
import { resemblance, sketchFromBytes } from '../ingest/text-sketch';
import type { FusedGroup } from './fusion';

/**
 * Resemblance (shared five-word shingles, ingest/text-sketch.ts) from which
 * two documents are one result. 0.9 takes copies (`report.pdf` and
 * `report (1).pdf`, a file in two folders, a Drive copy of a dropped file)
 * and versions a few lines apart, and leaves documents that share a
 * template but say different things: on the man pages `ls`, `dir` and
 * `vdir` (0.94-0.97, the same page under three names) fold, `base32` and
 * `base64` (0.78) or the `sha*sum` pages (at most 0.86) do not. A sketch of
 * 64 hashes estimates 0.9 within about 0.04.
 */
export const NEAR_DUPLICATE_RESEMBLANCE = 0.9;

/**
 * Hashes of a sketch looked up to find what it may resemble: two texts
 * alike at 0.9 share their smallest hashes with that probability each, so
 * both missing all of their first 16 is a 1-in-10^16 event, while looking
 * up only these keeps boilerplate many documents share (a licence, a
 * footer) from making every pair a candidate.
 */
const PROBE_HASHES = 16;

export interface FoldOptions {
  /** Fold from this resemblance up (default NEAR_DUPLICATE_RESEMBLANCE; above 1: never). */
  threshold?: number;
  /** Also drop the results that are copies of this document (More like this: its copies are not "like" it). */
  copiesOf?: string;
}

/**
 * Results whose text is the same as, or nearly the same as, a better-ranked
 * result's are folded into it as `copies`, so a library holding the same
 * file three times shows it once, with where else it is. The order of what
 * remains is kept: the copy that ranks first (a document named as typed,
 * exact-names.ts, comes first) stands for the others. Documents without a
 * sketch (indexed before sketches existed, until the backfill reaches them)
 * are never folded.
 *
 * Cost: one read of the found documents' sketches (256 bytes each) and, per
 * result, a comparison with the earlier results that share one of its
 * smallest hashes.
 */
export function foldNearDuplicates(
  db: Database,
  groups: readonly FusedGroup[],
  options: FoldOptions = {},
): FusedGroup[] {
  const threshold = options.threshold ?? NEAR_DUPLICATE_RESEMBLANCE;
  if (threshold > 1 || (groups.length < 2 && !options.copiesOf)) return [...groups];
  const ids = groups.map((g) => g.documentId);
  const sketches = readSketches(db, options.copiesOf ? [options.copiesOf, ...ids] : ids);

  const kept: Array<{ group: FusedGroup; sketch: Uint32Array | undefined; copies: string[] }> = [];
  /** A hash among a kept sketch's smallest -> the kept results holding it: the candidates to compare with. */
  const holders = new Map<number, number[]>();
  const remember = (sketch: Uint32Array, index: number): void => {
    for (const value of sketch.subarray(0, PROBE_HASHES)) {
      const list = holders.get(value);
      if (list) list.push(index);
      else holders.set(value, [index]);
    }
  };
  /** The best-ranked kept result this sketch resembles enough (its index in `kept`). */
  const original = (sketch: Uint32Array): number | undefined => {
    let first: number | undefined;
    const compared = new Set<number>();
    for (const value of sketch.subarray(0, PROBE_HASHES)) {
      for (const index of holders.get(value) ?? []) {
        if (compared.has(index) || (first !== undefined && index > first)) continue;
        compared.add(index);
        if (resemblance(sketch, kept[index]!.sketch!, threshold) >= threshold) first = index;
      }
    }
    return first;
  };

  const source = options.copiesOf ? sketches.get(options.copiesOf) : undefined;
  for (const group of groups) {
    const sketch = sketches.get(group.documentId);
    if (sketch) {
      if (source && resemblance(sketch, source, threshold) >= threshold) continue;
      const match = original(sketch);
      if (match !== undefined) {
        kept[match]!.copies.push(group.documentId);
        continue;
      }
      remember(sketch, kept.length);
    }
    kept.push({ group, sketch, copies: [] });
  }
  return kept.map(({ group, copies }) => (copies.length > 0 ? { ...group, copies } : group));
}

/** The documents' sketches; documents without one (or with an empty one) are left out. */
function readSketches(db: Database, ids: readonly string[]): Map<string, Uint32Array> {
  const rows = db
    .prepare(
      `SELECT id, text_sketch AS sketch FROM imported_documents
       WHERE id IN (SELECT value FROM json_each(?)) AND length(text_sketch) > 0`,
    )
    .all(JSON.stringify(ids)) as Array<{ id: string; sketch: Buffer }>;
  return new Map(rows.map((r) => [r.id, sketchFromBytes(r.sketch)]));
}
