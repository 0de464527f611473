import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCranfield } from './cranfield';
import { seededRandom } from './synthetic';

/** What a corpus writer put on disk. */
export interface WrittenCorpus {
  files: number;
  bytes: number;
}

/** Writes each Cranfield document as `cran-NNNN.txt` (title, authors, bibliography, abstract). */
export function writeCranfieldCorpus(dir: string, cranfieldDir?: string): WrittenCorpus {
  mkdirSync(dir, { recursive: true });
  const { documents } = loadCranfield(cranfieldDir);
  let bytes = 0;
  for (const doc of documents) {
    const text = `${doc.title}\n\n${doc.authors}\n${doc.bibliography}\n\n${doc.body}\n`;
    const file = join(dir, `cran-${String(doc.id).padStart(4, '0')}.txt`);
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  }
  return { files: documents.length, bytes };
}

// A technical-writing vocabulary, so the tiny model's tokenizer sees mostly known words.
const WORDS = `system data model file folder index search query result document page section table value
number time user service server client request response error message event queue job worker thread
process memory cache disk network storage database record field column row key token text word vector
embedding chunk parser format config setting option default limit size batch stream buffer update change
delete create read write load save open close start stop run build test check verify measure report
design pattern module function method class type interface object array list map set string integer
boolean input output source target path name version release feature issue bug fix patch review merge
branch commit deploy install package library framework tool script command shell terminal window screen
layout style theme color font image video audio sound signal power energy water air soil plant tree
river mountain city road bridge building house room door light heat temperature pressure speed distance
weight height width length area volume rate ratio average total count share growth risk cost price
market customer product order payment invoice account balance budget plan goal team project meeting
schedule deadline task note idea question answer reason example detail summary overview guide manual`
  .split(/\s+/)
  .filter(Boolean);
const CONNECTORS = ['and', 'the', 'of', 'for', 'with', 'in', 'to', 'from', 'by', 'on', 'when', 'so that'];
const LANGS = ['ts', 'python', 'bash', 'json', 'sql'];
const TOP_FOLDERS = ['guides', 'reference', 'notes', 'projects', 'meetings', 'research', 'ops', 'archive'];

/** One generated Markdown file: its folder (relative path parts), name and text. */
export interface MarkdownFile {
  folder: string[];
  name: string;
  text: string;
}

/**
 * `count` Markdown files of about `targetBytes` in total in nested folders
 * (up to three levels), deterministic for a seed. Each file has a title,
 * sections with `##`/`###` headings, paragraphs, bullet and numbered lists,
 * fenced code blocks and the odd table, with sizes spread from a few hundred
 * bytes to a few times the average, as real notes are.
 */
export function* markdownFiles(count: number, targetBytes: number, seed = 7): Generator<MarkdownFile> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const sentence = (): string => {
    const words: string[] = [];
    const n = int(6, 18);
    for (let i = 0; i < n; i++) words.push(i > 0 && random() < 0.2 ? pick(CONNECTORS) : pick(WORDS));
    const s = words.join(' ');
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = (): string => Array.from({ length: int(2, 6) }, sentence).join(' ');
  const title = (): string => {
    const t = Array.from({ length: int(2, 5) }, () => pick(WORDS)).join(' ');
    return `${t[0]!.toUpperCase()}${t.slice(1)}`;
  };
  const codeBlock = (): string => {
    const lang = pick(LANGS);
    const lines = Array.from({ length: int(3, 14) }, (_, i) => {
      const a = pick(WORDS);
      const b = pick(WORDS);
      switch (lang) {
        case 'python':
          return `${i === 0 ? '' : '    '}${a}_${b} = load_${a}(${b}, limit=${int(1, 500)})`;
        case 'bash':
          return `trove ${a} --${b} ${int(1, 99)}`;
        case 'json':
          return `  "${a}_${b}": ${int(0, 1000)},`;
        case 'sql':
          return `SELECT ${a}, ${b} FROM ${a}_${b} WHERE ${b} > ${int(0, 100)};`;
        default:
          return `const ${a}${b[0]!.toUpperCase()}${b.slice(1)} = await ${a}.${b}(${int(0, 64)});`;
      }
    });
    return `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``;
  };
  const list = (): string => {
    const ordered = random() < 0.4;
    return Array.from({ length: int(3, 8) }, (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence()}`).join('\n');
  };
  const table = (): string => {
    const cols = [pick(WORDS), pick(WORDS), pick(WORDS)];
    const rows = Array.from({ length: int(2, 6) }, () => `| ${pick(WORDS)} | ${int(0, 999)} | ${pick(WORDS)} |`);
    return [`| ${cols.join(' | ')} |`, '| --- | --- | --- |', ...rows].join('\n');
  };
  const block = (): string => {
    const r = random();
    if (r < 0.55) return paragraph();
    if (r < 0.75) return list();
    if (r < 0.92) return codeBlock();
    return table();
  };

  const average = targetBytes / count;
  for (let i = 0; i < count; i++) {
    const folder = [
      pick(TOP_FOLDERS),
      ...(random() < 0.7 ? [`${pick(WORDS)}-${int(1, 12)}`] : []),
      ...(random() < 0.3 ? [pick(WORDS)] : []),
    ];
    // Sizes from 0.1x to about 3x the average (a skewed spread: many small notes, some long guides).
    const want = Math.max(300, average * (0.1 + 2.9 * random() ** 2) * 0.9);
    const parts = [`# ${title()}`, paragraph()];
    let size = parts[0]!.length + parts[1]!.length;
    while (size < want) {
      const heading = random() < 0.7 ? `## ${title()}` : `### ${title()}`;
      parts.push(heading);
      size += heading.length;
      for (let b = int(1, 4); b > 0 && size < want; b--) {
        const text = block();
        parts.push(text);
        size += text.length + 2;
      }
    }
    const text = `${parts.join('\n\n')}\n`;
    yield { folder, name: `${String(i).padStart(5, '0')}-${pick(WORDS)}-${pick(WORDS)}.md`, text };
  }
}

/**
 * `count` different search queries of two to four words from the same
 * vocabulary as markdownFiles, so each finds something by keyword and each
 * is new to the query-vector cache. Deterministic for a seed.
 */
export function corpusQueries(count: number, seed = 29): string[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  while (seen.size < count) {
    const words = Array.from(
      { length: 2 + Math.floor(random() * 3) },
      () => WORDS[Math.floor(random() * WORDS.length)]!,
    );
    seen.add(words.join(' '));
  }
  return [...seen];
}

/** Writes markdownFiles(count, targetBytes, seed) under `dir`. */
export function writeMarkdownCorpus(dir: string, count: number, targetBytes: number, seed = 7): WrittenCorpus {
  let bytes = 0;
  for (const file of markdownFiles(count, targetBytes, seed)) {
    const folder = join(dir, ...file.folder);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, file.name), file.text);
    bytes += Buffer.byteLength(file.text);
  }
  return { files: count, bytes };
}
