import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluationDataDir } from '../../scripts/lib/evaluation-data';

/**
 * The man-page collection: section-1 man pages rendered to plain text (one
 * `<name>.txt` each, by the collection's own `prepare.sh`) and known-item
 * questions written as people type them ("pack several files into one
 * archive"), each with the page names that answer it.
 */
export interface ManpageQuery {
  text: string;
  /** Page names (file names without `.txt`) that answer the question. */
  answers: string[];
}

/** `--manpages=<dir>`, else MANPAGES_DIR, else the evaluation data's `manpages/` (scripts/lib/evaluation-data.ts). */
export function defaultManpagesDir(): string {
  return process.env.MANPAGES_DIR ?? evaluationDataDir('manpages');
}

/** `query<TAB>answer answer...` lines; `#` starts a comment line. */
export function parseManpageQueries(text: string): ManpageQuery[] {
  const queries: ManpageQuery[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [query, answers] = line.split('\t');
    if (!query || !answers) continue;
    queries.push({ text: query.trim(), answers: answers.trim().split(/\s+/) });
  }
  return queries;
}

export type PreparedManpages =
  { ok: true; pagesDir: string; queries: ManpageQuery[]; pages: number } | { ok: false; reason: string };

/**
 * Renders the collection's pages into a cache folder under the temp
 * directory (once per list of pages: the folder is named after its hash)
 * and loads its queries. Fails with a reason, never throws, when the
 * collection or `man` is missing, so a benchmark can skip it.
 */
export function prepareManpages(dir = defaultManpagesDir()): PreparedManpages {
  const script = path.join(dir, 'prepare.sh');
  const queriesFile = path.join(dir, 'queries.tsv');
  const list = path.join(dir, 'pages.txt');
  if (!existsSync(script) || !existsSync(queriesFile) || !existsSync(list)) {
    return { ok: false, reason: `no man-page collection at ${dir} (pass --manpages=<dir>)` };
  }
  if (spawnSync('man', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { ok: false, reason: '`man` is not installed, so the pages cannot be rendered' };
  }
  const hash = createHash('sha256').update(readFileSync(list)).update(readFileSync(script)).digest('hex').slice(0, 12);
  const pagesDir = path.join(os.tmpdir(), `trove-manpages-${hash}`);
  // The marker sits beside the folder, so indexing the folder sees only pages.
  const done = `${pagesDir}.rendered`;
  if (!existsSync(done)) {
    rmSync(pagesDir, { recursive: true, force: true });
    const run = spawnSync('bash', [script, pagesDir], { encoding: 'utf8' });
    if (run.status !== 0) return { ok: false, reason: `prepare.sh failed: ${run.stderr.trim().slice(0, 300)}` };
    writeFileSync(done, run.stdout);
  }
  const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.txt')).length;
  if (pages === 0) return { ok: false, reason: `prepare.sh rendered no pages into ${pagesDir}` };
  return { ok: true, pagesDir, queries: parseManpageQueries(readFileSync(queriesFile, 'utf8')), pages };
}

/** The page name a search result stands for: its title without `.txt`. */
export function pageName(title: string): string {
  return title.replace(/\.txt$/, '');
}
