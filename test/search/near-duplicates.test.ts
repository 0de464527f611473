import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_INDEXED_DOCUMENTS } from '../../src/main/core/db/migrations/009-search-without-text';
import { LIST_SKETCHED_DOCUMENTS } from '../../src/main/core/db/migrations/016-shown-text-sketches';
import { documentSketch } from '../../src/main/core/ingest/document-sketch';
import { SKETCH_VERSION } from '../../src/main/core/ingest/sketch-version';
import {
  containment,
  resemblance,
  SKETCH_SIZE,
  sketchFromBytes,
  sketchToBytes,
  textSketch,
} from '../../src/main/core/ingest/text-sketch';
import { foldNearDuplicates } from '../../src/main/core/search/near-duplicates';
import { areRenditions, renditionName } from '../../src/main/core/search/renditions';
import type { SearchGroup, SearchResponse } from '../../src/main/core/search/types';
import { indexedAt, restartedLibrary } from '../helpers/restarted-library';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { createLibrary } from './library';

const STEPS = [
  'Freeze writes to the orders database on Friday evening.',
  'Take a full snapshot of every table and copy it to the cold bucket.',
  'Run the schema migration on the replica first and time each step.',
  'Compare row counts between the replica and the primary after each batch.',
  'Switch the payment service to read-only mode while the indexes rebuild.',
  'Rebuild the search indexes and warm the cache with last week’s queries.',
  'Point the order service at the new cluster and watch the error rate.',
  'Keep the old cluster running for a week in case we have to roll back.',
  'Write down every surprise in the runbook for the next migration.',
  'Tell the support team when the weekend window opens and closes.',
  'Check that nightly reports still add up after the switch.',
  'Remove the read-only flag and announce the end of the migration weekend.',
];
/** A plan of some 150 words, as a person writes one. */
const PLAN = `# Database migration weekend\n\n${STEPS.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n`;
/** The same plan a day later: a later version of the file. */
const PLAN_V2 = PLAN.replace('on Friday evening', 'on Saturday evening');
/** The same plan with one step rewritten: 7% of its words, no longer the same document to a reader. */
const PLAN_REWORDED = PLAN.replace(
  'Check that nightly reports still add up after the switch.',
  'Ask finance to confirm the totals.',
);
/** An API's functions and what each does, for an index page written as a table. */
const API: Array<[string, string]> = [
  ['open_valve', 'Open a valve.'],
  ['close_valve', 'Close a valve.'],
  ['read_moisture', 'Read soil moisture.'],
  ['schedule_watering', 'Water at dawn.'],
  ['skip_rain', 'Skip when raining.'],
  ['flush_filter', 'Flush the filter.'],
  ['calibrate_sensor', 'Calibrate a sensor.'],
  ['report_usage', 'Report water used.'],
  ['list_zones', 'List irrigation zones.'],
  ['pause_zone', 'Pause a zone.'],
];
/** The same template, about something else. */
const BUDGET = `# Database migration weekend\n\n${STEPS.map(
  (_, i) => `${i + 1}. Budget line ${i + 1}: approve spending on hardware item ${i * 7} before the quarter closes.`,
).join('\n')}\n`;

describe('text sketches', () => {
  it('say a copy is the same text, whatever its case, punctuation and line breaks', () => {
    const copy = PLAN.toUpperCase().replace(/\n/g, '\n\n').replace(/\./g, ' ;');
    expect(resemblance(textSketch(PLAN), textSketch(copy))).toBe(1);
    const greek = 'Το Σάββατο περπατάμε στη Ζυρίχη, über den Fluss, με τον Ἀριστοτέλη 𝐀𝐁𝐂.';
    expect(resemblance(textSketch(greek), textSketch(greek.toUpperCase()))).toBe(1);
    expect(resemblance(textSketch(greek), textSketch(greek.replace('Ζυρίχη', 'Αθήνα')))).toBeLessThan(1);
  });

  it('of a document are of its words as a reader sees them: no link destinations, roles or directives', () => {
    const shown = STEPS.join(' ');
    const linked = STEPS.map((step, i) => `[Step ${i + 1}](runbook.html#step-${i + 1} "step ${i + 1}"): ${step}`);
    const page = STEPS.map((step, i) => `Step ${i + 1}: ${step}`).join(' ');
    expect(resemblance(documentSketch(linked.join('\n')), documentSketch(page))).toBe(1);
    expect(resemblance(textSketch(linked.join('\n')), textSketch(page))).toBeLessThan(0.5);
    const rst = `.. note:: Mind the gap.\n\n${STEPS.map((step) => `* :term:\`${step.split(' ')[0]}\` ${step.split(' ').slice(1).join(' ')}`).join('\n')}`;
    expect(resemblance(documentSketch(rst), documentSketch(`Note: Mind the gap. ${shown}`))).toBeGreaterThanOrEqual(
      0.9,
    );
    expect(resemblance(textSketch(rst), textSketch(`Note: Mind the gap. ${shown}`))).toBeLessThan(0.5);
  });

  it('rate a version with a word changed near the same, a rewritten step less so, the same template far off', () => {
    expect(resemblance(textSketch(PLAN), textSketch(PLAN_V2))).toBeGreaterThanOrEqual(0.9);
    expect(resemblance(textSketch(PLAN), textSketch(PLAN_REWORDED))).toBeLessThan(0.9);
    expect(resemblance(textSketch(PLAN), textSketch(BUDGET))).toBeLessThan(0.3);
  });

  it('give up early on a pair that cannot reach the share asked for, and only then', () => {
    const [plan, v2, reworded] = [PLAN, PLAN_V2, PLAN_REWORDED].map(textSketch);
    expect(resemblance(plan!, v2!, 0.9)).toBe(resemblance(plan!, v2!));
    expect(resemblance(plan!, reworded!)).toBeGreaterThan(0.5);
    expect(resemblance(plan!, reworded!, 0.9)).toBe(0);
  });

  it('keep the 64 smallest shingle hashes of a long text, and nothing for a text without words', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `word${i}`).join(' ');
    const sketch = textSketch(long);
    expect(sketch.length).toBe(SKETCH_SIZE);
    expect([...sketch]).toEqual([...sketch].sort((a, b) => a - b));
    expect(textSketch(' ... --- !!! ').length).toBe(0);
    expect(resemblance(textSketch(''), textSketch(''))).toBe(0);
    // Shorter than one shingle: the words themselves are the shingle.
    expect(resemblance(textSketch('Budget 2024'), textSketch('budget, 2024!'))).toBe(1);
  });

  it('are stored as little-endian bytes, and bytes that are not a sketch read as none', () => {
    const sketch = textSketch(PLAN);
    expect(sketchFromBytes(sketchToBytes(sketch))).toEqual(sketch);
    expect(sketchToBytes(Uint32Array.of(1)).toString('hex')).toBe('01000000');
    expect(sketchFromBytes(Buffer.from([1, 2, 3])).length).toBe(0);
  });
});

const MEDIA_TYPES: Record<string, string> = { md: 'text/markdown', html: 'text/html', pdf: 'application/pdf' };

/** Documents with these names and texts, sketched as indexing does; ranked in the order given. */
function ranked(docs: Array<[name: string, text: string]>) {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  const sketch = lib.db.prepare(`INSERT INTO document_sketches (sketch, document_id) VALUES (?, ?)`);
  const groups = docs.map(([name, text], i) => {
    const mimeType = MEDIA_TYPES[name.split('.').pop()!] ?? 'text/plain';
    const { id, chunkIds } = lib.addDocument({ connectorId: 'folder', title: name, chunks: [text], mimeType });
    sketch.run(sketchToBytes(textSketch(text)), id);
    return { documentId: id, score: 10 - i, chunks: [{ chunkId: chunkIds[0]!, documentId: id, score: 10 - i }] };
  });
  const nameOf = new Map(groups.map((g, i) => [g.documentId, docs[i]![0]]));
  const shown = (folded: ReturnType<typeof foldNearDuplicates>) =>
    folded.map((g) => ({
      name: nameOf.get(g.documentId),
      score: g.score,
      copies: g.copies?.map((c) => nameOf.get(c)),
    }));
  return { db: lib.db, groups, shown };
}

describe('which copy a folded result shows', () => {
  it('is the original (shortest name) among copies of the same text, at the best copy’s rank', () => {
    const { db, groups, shown } = ranked([
      ['Copy of report.md', PLAN],
      ['report (1).md', PLAN],
      ['report.md', PLAN],
      ['budget.md', BUDGET],
    ]);
    expect(shown(foldNearDuplicates(db, groups))).toEqual([
      { name: 'report.md', score: 10, copies: ['Copy of report.md', 'report (1).md'] },
      { name: 'budget.md', score: 7, copies: undefined },
    ]);
  });

  it('is the one named as typed, and never a differing version with a shorter name', () => {
    const { db, groups, shown } = ranked([
      ['report (1).md', PLAN],
      ['report.md', PLAN],
      ['plan.md', PLAN_V2],
    ]);
    expect(shown(foldNearDuplicates(db, groups, { standing: new Set([groups[0]!.documentId]) }))[0]).toEqual({
      name: 'report (1).md',
      score: 10,
      copies: ['report.md', 'plan.md'],
    });
    expect(shown(foldNearDuplicates(db, groups))[0]).toEqual({
      name: 'report.md',
      score: 10,
      copies: ['report (1).md', 'plan.md'],
    });
  });
});

describe('the same document in another format', () => {
  it('is named alike once document extensions are off', () => {
    expect(renditionName('json.rst.txt')).toBe('json');
    expect(renditionName('2.6.html')).toBe('2.6');
    expect(renditionName('Report Q3.DOCX')).toBe('report q3');
    expect(renditionName('Budget 2025')).toBe('budget 2025');
    // Code is not a rendition of a page: its extension stays.
    expect(renditionName('json.py')).toBe('json.py');
  });

  it('folds into the better-ranked result when the format differs and the text mostly agrees', () => {
    const { db, groups, shown } = ranked([
      ['plan.md', PLAN],
      ['plan.html', PLAN_REWORDED],
      ['plan.pdf', BUDGET],
    ]);
    expect(shown(foldNearDuplicates(db, groups))).toEqual([
      { name: 'plan.md', score: 10, copies: ['plan.html'] },
      // The same template about something else, under the same name: another document.
      { name: 'plan.pdf', score: 8, copies: undefined },
    ]);
    // Folding off folds nothing.
    expect(shown(foldNearDuplicates(db, groups, { threshold: 2 })).every((g) => !g.copies)).toBe(true);
  });

  it('folds a source that is nearly all inside a much larger page (includes), not an unrelated page', () => {
    // The page brings in five times the source’s text from elsewhere: a low resemblance, a full containment.
    const included = Array.from({ length: 100 }, (_, i) => `option${i} sets value ${i * 3} for the tool`).join('. ');
    const page = `${PLAN}\n${included}`;
    const [source, whole] = [textSketch(PLAN), textSketch(page)];
    expect(resemblance(source, whole)).toBeLessThan(0.35);
    expect(containment(source, whole).share).toBe(1);
    expect(containment(whole, source)).toEqual(containment(source, whole));
    expect(containment(source, textSketch(BUDGET)).share).toBeLessThan(0.2);
    const { db, groups, shown } = ranked([
      ['plan.html', page],
      ['plan.md', PLAN],
      ['plan.pdf', BUDGET],
    ]);
    expect(shown(foldNearDuplicates(db, groups)).map((g) => [g.name, g.copies])).toEqual([
      ['plan.html', ['plan.md']],
      ['plan.pdf', undefined],
    ]);
  });

  it('is shown by its page when its plain-text source ranks better, at the source’s rank', () => {
    const { db, groups, shown } = ranked([
      ['plan.rst.txt', PLAN],
      ['notes.txt', BUDGET],
      ['plan.html', PLAN_REWORDED],
    ]);
    expect(shown(foldNearDuplicates(db, groups))).toEqual([
      { name: 'plan.html', score: 10, copies: ['plan.rst.txt'] },
      { name: 'notes.txt', score: 9, copies: undefined },
    ]);
    // Named as typed, the source stands.
    const standing = new Set([groups[0]!.documentId]);
    expect(shown(foldNearDuplicates(db, groups, { standing }))[0]!.name).toBe('plan.rst.txt');
    // Beside a Markdown or PDF rendition, nothing changes: only plain text is taken for a source.
    const other = ranked([
      ['plan.md', PLAN],
      ['plan.pdf', PLAN_REWORDED],
    ]);
    expect(other.shown(foldNearDuplicates(other.db, other.groups))[0]!.name).toBe('plan.md');
  });

  it('is not another version in the same format, nor the same words under another name', () => {
    for (const other of ['plan.md', 'notes.html']) {
      const { db, groups, shown } = ranked([
        ['plan.md', PLAN],
        [other, PLAN_REWORDED],
      ]);
      expect(shown(foldNearDuplicates(db, groups)).map((g) => g.copies)).toEqual([undefined, undefined]);
    }
  });

  it('takes a compressed file for the format it holds: README.gz is no rendition of another README', () => {
    const doc = (name: string, mimeType: string, text: string) => ({ name, mimeType, sketch: textSketch(text) });
    const gz = (name: string, text: string) => doc(name, 'application/gzip', text);
    expect(areRenditions(gz('README.gz', PLAN), doc('README', 'application/octet-stream', PLAN_REWORDED))).toBe(false);
    expect(areRenditions(gz('plan.md.gz', PLAN), doc('plan.md', 'text/markdown', PLAN_REWORDED))).toBe(false);
    expect(areRenditions(gz('plan.md.gz', PLAN), doc('plan.html', 'text/html', PLAN_REWORDED))).toBe(true);
  });
});

describe('search folds copies of a document into one result', () => {
  let t: TestCore;
  let folder: string;
  const names = (group: SearchGroup | undefined) =>
    [group?.document, ...(group?.copies ?? [])].map((d) => d?.fileName ?? d?.title);

  beforeAll(async () => {
    t = await startTestCore();
    folder = mkdtempSync(join(tmpdir(), 'trove-copies-'));
    mkdirSync(join(folder, 'backup'));
    writeFileSync(join(folder, 'plan.md'), PLAN);
    writeFileSync(join(folder, 'backup', 'plan.md'), PLAN);
    // Saved as plain text from an editor: other line breaks, no Markdown.
    writeFileSync(join(folder, 'plan export.txt'), PLAN.replace(/^# /, '').replace(/\n(\d+)\. /g, '\n\n$1) '));
    writeFileSync(join(folder, 'plan-v2.md'), PLAN_V2);
    writeFileSync(join(folder, 'budget.md'), BUDGET);
    for (const topic of ['bread', 'tides', 'chess', 'roses']) {
      writeFileSync(join(folder, `${topic}.md`), `# ${topic}\n\nA page about ${topic} and nothing else at all.\n`);
    }
    await t.core.connectors.add({ type: 'local_folder', name: 'Plans', settings: { path: folder } });
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the plan once, with where else it is, and the page from the same template on its own', async () => {
    const found = await t.core.search.search({ query: 'snapshot the replica before the migration', mode: 'keyword' });
    const withPlan = found.groups.filter((g) => names(g).some((n) => n?.includes('plan')));
    expect(withPlan).toHaveLength(1);
    expect(names(withPlan[0]).sort()).toEqual(['plan export.txt', 'plan-v2.md', 'plan.md', 'plan.md']);
    expect(withPlan[0]!.copies).toHaveLength(3);
    const budget = await t.core.search.search({ query: 'budget hardware approve', mode: 'keyword' });
    expect(budget.groups.map((g) => g.document.fileName ?? g.document.title)).toEqual(['budget.md']);
    expect(budget.groups[0]!.copies).toBeUndefined();
  });

  it('stands the copy named as typed for the others', async () => {
    const found = await t.core.search.search({ query: 'plan-v2.md', mode: 'keyword' });
    expect(names(found.groups[0])[0]).toBe('plan-v2.md');
    expect(found.groups[0]!.copies).toHaveLength(3);
  });

  it('never shows a folded copy on a later page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.core.search.search({ query: 'migration weekend', mode: 'keyword', limit: 1, cursor });
      seen.push(...page.groups.flatMap((g) => names(g).map(String)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((n) => n.includes('plan')).sort()).toEqual([
      'plan export.txt',
      'plan-v2.md',
      'plan.md',
      'plan.md',
    ]);
    expect(seen).toContain('budget.md');
  });

  it('leaves a document’s copies out of More like this', async () => {
    const plan = (await t.core.search.search({ query: 'plan.md', mode: 'keyword' })).groups[0]!.document;
    const similar = await t.core.search.similar({ documentId: plan.id });
    expect(similar.groups.flatMap((g) => names(g)).filter((n) => n?.includes('plan'))).toEqual([]);
  });
});

/**
 * An index of functions as a Sphinx list-table beside its HTML page: the
 * source's roles and directive, and the page's links to each entry, are
 * most of their words, so sketched as written the two resemble too little
 * to fold.
 */
function writeApiIndex(folder: string): void {
  mkdirSync(join(folder, '_sources'), { recursive: true });
  const rows = API.map(([name, what]) => `    * - \`\`await\`\` :func:\`${name}\`\n      - ${what}`).join('\n\n');
  writeFileSync(
    join(folder, '_sources', 'api-index.rst.txt'),
    `API index\n=========\n\n.. list-table::\n    :widths: 50 50\n    :class: full-width-table\n\n${rows}\n`,
  );
  const cells = API.map(
    ([name, what]) =>
      `<tr><td><code>await</code> <a href="api.html#garden.${name}" title="garden.${name}"><code>${name}()</code></a></td><td>${what}</td></tr>`,
  ).join('');
  writeFileSync(
    join(folder, 'api-index.html'),
    `<html><head><title>API index</title></head><body><main><h1>API index</h1><table>${cells}</table></main></body></html>`,
  );
}

describe('search shows a page and its source once', () => {
  let t: TestCore;
  let folder: string;

  beforeAll(async () => {
    t = await startTestCore({ model: false });
    folder = mkdtempSync(join(tmpdir(), 'trove-renditions-'));
    mkdirSync(join(folder, '_sources'));
    mkdirSync(join(folder, 'api'));
    // A documentation build: the page's reStructuredText source beside the HTML made from it.
    const source = [
      '.. _migration-guide:',
      '',
      'Migration guide',
      '===============',
      '',
      '.. note:: Read the whole guide before the weekend.',
      '',
      ...STEPS.map((step, i) => `${i + 1}. ${step.replace('snapshot', ':term:`snapshot`')}`),
      '',
      '.. seealso:: :doc:`rollback`',
    ].join('\n');
    writeFileSync(join(folder, '_sources', 'guide.rst.txt'), source);
    const numbered = STEPS.map((step, i) => `<li><p>Step ${i + 1}.${i % 3} ${step}</p></li>`).join('');
    writeFileSync(
      join(folder, 'guide.html'),
      `<html><head><title>Migration guide — Ops 2.1 documentation</title></head><body>
       <nav><a href="index.html">Ops 2.1</a> » Migration guide</nav>
       <main><h1>Migration guide</h1><div class="note"><p>Note</p><p>Read the whole guide before the weekend.</p></div>
       <ol>${numbered}</ol><p>See also: Rolling back a migration</p></main>
       <footer>© 2026 Ops team. Created using Sphinx 7.2.6. Last updated on Dec 01, 2026.</footer></body></html>`,
    );
    // Another page of the same name: another document.
    writeFileSync(join(folder, 'api', 'guide.html'), `<html><body><h1>API guide</h1>${BUDGET}</body></html>`);
    writeApiIndex(folder);
    await t.core.connectors.add({ type: 'local_folder', name: 'Docs', settings: { path: folder } });
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('folds the source into the page (their texts differ too much to be copies) and keeps the other guide', async () => {
    const sketches = t.core.db
      .prepare(
        `SELECT d.external_id AS path, s.sketch FROM document_sketches s JOIN imported_documents d ON d.id = s.document_id`,
      )
      .all() as Array<{ path: string; sketch: Buffer }>;
    const sketchOf = (path: string) => sketchFromBytes(sketches.find((s) => s.path === path)!.sketch);
    expect(resemblance(sketchOf('guide.html'), sketchOf('_sources/guide.rst.txt'))).toBeLessThan(0.9);

    const found = await t.core.search.search({ query: 'migration guide replica snapshot', mode: 'keyword' });
    const shown = found.groups.map((g) => [g.document.fileName, ...(g.copies ?? []).map((c) => c.fileName)]);
    expect(shown).toHaveLength(2);
    // Shown as the page people read, whichever of the two matched better.
    expect(shown).toContainEqual(['guide.html', 'guide.rst.txt']);
    expect(found.groups.map((g) => g.document.title)).toContain('Migration guide');
  });

  it('folds a source whose markup is most of its words, sketched as shown, not as written', async () => {
    const found = await t.core.search.search({ query: 'irrigation valve moisture sensor', mode: 'keyword' });
    const shown = found.groups.map((g) => [g.document.fileName, ...(g.copies ?? []).map((c) => c.fileName)]);
    expect(shown).toEqual([['api-index.html', 'api-index.rst.txt']]);
  });
});

describe('documents indexed before text sketches existed', () => {
  it('are sketched at the next start, in the background, and their copies fold from then on', async () => {
    const query = { query: 'snapshot the replica before the migration', mode: 'keyword' as const };
    let indexed: unknown[] = [];
    await restartedLibrary({
      write(folder) {
        mkdirSync(join(folder, 'backup'));
        writeFileSync(join(folder, 'plan.md'), PLAN);
        writeFileSync(join(folder, 'backup', 'plan.md'), PLAN);
        writeFileSync(join(folder, 'budget.md'), BUDGET);
      },
      async before(first) {
        // What migration 9 leaves an existing library with: no sketches.
        first.core.db.exec(`DELETE FROM document_sketches; ${LIST_INDEXED_DOCUMENTS}`);
        indexed = indexedAt(first);
        expect((await first.core.search.search(query)).groups.filter((g) => g.copies)).toEqual([]);
      },
      async after(second) {
        const found = await second.core.search.search(query);
        expect(found.groups[0]!.copies?.map((c) => c.fileName ?? c.title)).toEqual(['plan.md']);
        // Only sketches were written: nothing was indexed again.
        expect(indexedAt(second)).toEqual(indexed);
        const jobs = second.core.db.prepare(`SELECT type, status FROM jobs WHERE type = 'sketch_backlog'`).all();
        expect(jobs).toEqual([{ type: 'sketch_backlog', status: 'succeeded' }]);
      },
    });
  }, 120_000);
});

describe('documents sketched as written, before sketches were of the text as shown', () => {
  it('are sketched again at the next start, in the background, and a page and its source fold from then on', async () => {
    const query = { query: 'irrigation valve moisture sensor', mode: 'keyword' as const };
    const fileNames = (found: SearchResponse) =>
      found.groups.map((g) => [g.document.fileName, ...(g.copies ?? []).map((c) => c.fileName)]);
    let indexed: unknown[] = [];
    await restartedLibrary({
      write: writeApiIndex,
      async before(first) {
        // What migration 16 finds in an existing library: sketches of the text as written.
        const texts = first.core.db
          .prepare(`SELECT id, content FROM imported_documents WHERE sync_status = 'completed'`)
          .all() as Array<{ id: string; content: string }>;
        const writeOld = first.core.db.prepare(
          `UPDATE document_sketches SET sketch = ?, version = 1 WHERE document_id = ?`,
        );
        for (const { id, content } of texts) writeOld.run(sketchToBytes(textSketch(content)), id);
        first.core.db.exec(LIST_SKETCHED_DOCUMENTS);
        indexed = indexedAt(first);
        expect(fileNames(await first.core.search.search(query))).toHaveLength(2);
      },
      async after(second) {
        expect(fileNames(await second.core.search.search(query))).toEqual([['api-index.html', 'api-index.rst.txt']]);
        const stored = second.core.db
          .prepare(
            `SELECT d.content, s.sketch, s.version FROM document_sketches s JOIN imported_documents d ON d.id = s.document_id`,
          )
          .all() as Array<{ content: string; sketch: Buffer; version: number }>;
        expect(
          stored.map((s) => [s.version, sketchFromBytes(s.sketch).join() === documentSketch(s.content).join()]),
        ).toEqual(stored.map(() => [SKETCH_VERSION, true]));
        // Only sketches were written: nothing was indexed again.
        expect(indexedAt(second)).toEqual(indexed);
      },
    });
  }, 120_000);
});
