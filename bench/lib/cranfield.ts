import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluationDataDir } from '../../scripts/lib/evaluation-data';

/**
 * Parser for the Cranfield 1400 test collection (see its README): documents,
 * queries numbered by position 1..225 (the `.I` numbers skip), and graded
 * judgments with gain = 5 - relevance (relevance -1 dropped).
 */
export interface CranfieldDocument {
  /** The `.I` number, 1..1400. */
  id: number;
  title: string;
  authors: string;
  bibliography: string;
  /** The `.W` abstract; empty for a few records. */
  body: string;
}

export interface CranfieldQuery {
  /** 1-based position in cran.qry: the number the judgments use. */
  position: number;
  /** The `.I` label as written (not contiguous). */
  label: string;
  text: string;
}

export interface CranfieldCollection {
  documents: CranfieldDocument[];
  queries: CranfieldQuery[];
  /** query position -> (document id -> gain 1..4). */
  qrels: Map<number, Map<number, number>>;
}

/** CRANFIELD_DIR, else the evaluation data's `cranfield/` (scripts/lib/evaluation-data.ts). */
export function defaultCranfieldDir(): string {
  return process.env.CRANFIELD_DIR ?? evaluationDataDir('cranfield');
}

interface Record {
  label: string;
  fields: Map<string, string>;
}

/** Splits the `.I` / `.X` line format into records with their fields' text. */
function parseRecords(text: string): Record[] {
  const records: Record[] = [];
  let current: Record | undefined;
  let field: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (current && field) current.fields.set(field, lines.join('\n').replace(/\s+/g, ' ').trim());
    lines = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const marker = /^\.([A-Z])\b\s*(.*)$/.exec(line);
    if (marker) {
      flush();
      if (marker[1] === 'I') {
        current = { label: (marker[2] ?? '').trim(), fields: new Map() };
        records.push(current);
        field = undefined;
      } else {
        field = marker[1];
        if (marker[2]) lines.push(marker[2]);
      }
    } else if (field) {
      lines.push(line);
    }
  }
  flush();
  return records;
}

export function parseDocuments(text: string): CranfieldDocument[] {
  return parseRecords(text).map((r) => ({
    id: Number.parseInt(r.label, 10),
    title: r.fields.get('T') ?? '',
    authors: r.fields.get('A') ?? '',
    bibliography: r.fields.get('B') ?? '',
    body: r.fields.get('W') ?? '',
  }));
}

export function parseQueries(text: string): CranfieldQuery[] {
  return parseRecords(text).map((r, i) => ({ position: i + 1, label: r.label, text: r.fields.get('W') ?? '' }));
}

export function parseQrels(text: string): Map<number, Map<number, number>> {
  const qrels = new Map<number, Map<number, number>>();
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3) continue;
    const [q, d, rel] = parts.map((p) => Number.parseInt(p, 10)) as [number, number, number];
    if (!Number.isFinite(q) || !Number.isFinite(d) || !(rel >= 1 && rel <= 4)) continue; // -1: unexplained, dropped
    let judged = qrels.get(q);
    if (!judged) qrels.set(q, (judged = new Map()));
    judged.set(d, Math.max(judged.get(d) ?? 0, 5 - rel));
  }
  return qrels;
}

export function loadCranfield(dir = defaultCranfieldDir()): CranfieldCollection {
  const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
  return {
    documents: parseDocuments(read('cran.all.1400')),
    queries: parseQueries(read('cran.qry')),
    qrels: parseQrels(read('cranqrel')),
  };
}
