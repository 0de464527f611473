import type { Database } from 'better-sqlite3';
import { resemblance, sketchFromBytes } from '../ingest/text-sketch';
import { LibraryMemo } from './library-memo';
import { byScore, type FusedGroup } from './fusion';
import { areRenditions, isPlainSource, renditionName, type RenditionFacts } from './renditions';

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
  /** Documents that stand for their copies whatever their names (the ones named as typed). */
  standing?: ReadonlySet<string>;
}

/**
 * Results whose text is the same as, or nearly the same as, a better-ranked
 * result's are folded into it as `copies`, so a library holding the same
 * file three times shows it once, with where else it is; so is the same
 * document in another format (renditions.ts: `json.html` and its source
 * `json.rst.txt`, `report.docx` and `report.pdf`). The result keeps
 * the rank of its best copy. Which copy it shows: among those with the same
 * text (equal sketches), the one with the shortest name, as originals are
 * named (`report.pdf` before `report (1).pdf` and `Copy of report.pdf`),
 * unless the best-ranked one was named as typed (`standing`); a version
 * that differs never stands for the best-ranked one, which matched the
 * query better, except that a plain-text source stands aside for its page
 * (renditions.ts `isPlainSource`): the result opens what people read.
 * Documents without a sketch (indexed before sketches existed, until the
 * backfill reaches them) are never folded.
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
  const stored = readSketches(db, options.copiesOf ? [options.copiesOf, ...ids] : ids);

  const clusters: Array<{ members: FusedGroup[]; sketch: Uint32Array | undefined }> = [];
  /** A name without its document extensions -> the clusters led by a document of that name (renditions.ts). */
  const byName = new Map<string, number[]>();
  /** A hash among a leading sketch's smallest -> the clusters it leads: the candidates to compare with. */
  const holders = new Map<number, number[]>();
  const remember = (sketch: Uint32Array, index: number): void => {
    for (const value of sketch.subarray(0, PROBE_HASHES)) {
      const list = holders.get(value);
      if (list) list.push(index);
      else holders.set(value, [index]);
    }
  };
  /** The best-ranked cluster whose leading sketch this one resembles enough (its index). */
  const cluster = (sketch: Uint32Array): number | undefined => {
    let first: number | undefined;
    const compared = new Set<number>();
    for (const value of sketch.subarray(0, PROBE_HASHES)) {
      for (const index of holders.get(value) ?? []) {
        if (compared.has(index) || (first !== undefined && index > first)) continue;
        compared.add(index);
        if (resemblance(sketch, clusters[index]!.sketch!, threshold) >= threshold) first = index;
      }
    }
    return first;
  };
  /** The best-ranked cluster led by the same document in another format. */
  const renditionCluster = (doc: StoredSketch): number | undefined =>
    byName.get(renditionName(doc.name))?.find((index) => {
      const lead = stored.get(clusters[index]!.members[0]!.documentId)!;
      return areRenditions(doc, lead);
    });

  const source = options.copiesOf ? stored.get(options.copiesOf) : undefined;
  for (const group of groups) {
    const doc = stored.get(group.documentId);
    if (doc) {
      const { sketch } = doc;
      if (source && (resemblance(sketch, source.sketch, threshold) >= threshold || areRenditions(doc, source)))
        continue;
      const index = cluster(sketch) ?? renditionCluster(doc);
      if (index !== undefined) {
        clusters[index]!.members.push(group);
        continue;
      }
      remember(sketch, clusters.length);
      const name = renditionName(doc.name);
      const named = byName.get(name);
      if (named) named.push(clusters.length);
      else byName.set(name, [clusters.length]);
    }
    clusters.push({ members: [group], sketch: doc?.sketch });
  }
  const folded = clusters.map(({ members }) => {
    if (members.length === 1) return members[0]!;
    const shown = standingCopy(members, stored, options.standing);
    return {
      ...shown,
      score: members[0]!.score,
      copies: members.filter((m) => m !== shown).map((m) => m.documentId),
    };
  });
  // A cluster shown by another copy keeps its rank but not its document id,
  // the tie-breaker pages are cut by: sort again.
  return folded.sort(byScore);
}

/** The copy a cluster shows (members best-ranked first; see foldNearDuplicates). */
function standingCopy(
  members: readonly FusedGroup[],
  stored: ReadonlyMap<string, StoredSketch>,
  standing: ReadonlySet<string> | undefined,
): FusedGroup {
  const best = members[0]!;
  const leading = stored.get(best.documentId)!;
  if (standing?.has(best.documentId)) return best;
  let shown = best;
  for (const member of members.slice(1)) {
    const own = stored.get(member.documentId)!;
    if (own.name.length < stored.get(shown.documentId)!.name.length && equalSketches(own.sketch, leading.sketch))
      shown = member;
  }
  const own = stored.get(shown.documentId)!;
  if (!isPlainSource(own)) return shown;
  return (
    members.find((member) => {
      const other = stored.get(member.documentId)!;
      return !isPlainSource(other) && areRenditions(other, own);
    }) ?? shown
  );
}

function equalSketches(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** A found document's sketch, name (of two copies, the shorter is taken for the original) and format. */
type StoredSketch = RenditionFacts;

/** The documents' sketches, names and formats; documents without a sketch (or with an empty one) are left out. */
function readSketches(db: Database, ids: readonly string[]): Map<string, StoredSketch> {
  return sketchMemo.lookup(db, ids, (missing) => readStoredSketches(db, missing));
}

/** Sketches remembered per connection (library-memo.ts): ~650 bytes each, so at most ~6.5 MB. */
const sketchMemo = new LibraryMemo<string, StoredSketch>(10_000);

function readStoredSketches(db: Database, ids: readonly string[]): Map<string, StoredSketch> {
  const rows = db
    .prepare(
      `SELECT d.id, d.title AS name, d.mime_type AS mimeType, s.sketch FROM document_sketches s
       JOIN imported_documents d ON d.id = s.document_id
       WHERE s.document_id IN (SELECT value FROM json_each(?)) AND length(s.sketch) > 0`,
    )
    .all(JSON.stringify(ids)) as Array<{ id: string; name: string; mimeType: string | null; sketch: Buffer }>;
  return new Map(rows.map((r) => [r.id, { sketch: sketchFromBytes(r.sketch), name: r.name, mimeType: r.mimeType }]));
}
