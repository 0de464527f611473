import { describe, expect, it } from 'vitest';
import { keywordMatch, planKeywordQuery } from '../../src/main/core/search/keyword-plan';
import { PAIRED_FUNCTION_WORD_ROWS } from '../../src/main/core/search/paired-function-words';
import { parseQuerySyntax } from '../../src/main/core/search/query-syntax';
import type { SearchTuning } from '../../src/main/core/search/tuning';
import type { SearchResponse } from '../../src/main/core/search/types';
import { createLibrary, searchServiceFor } from './library';

const titles = (r: SearchResponse): string[] => r.groups.map((g) => g.document.title);

/** An empty library with one local folder, 'folder', to add documents to. */
function folderLibrary() {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  return lib;
}

/** Pages about nothing the tests ask for, so that their words are rare enough for BM25 to weigh them. */
function addUnrelatedPages(lib: ReturnType<typeof createLibrary>): void {
  for (const topic of ['bread', 'tides', 'chess', 'roses', 'trains', 'glaciers']) {
    lib.addDocument({
      connectorId: 'folder',
      title: `${topic}.md`,
      chunks: [`A page about ${topic} and nothing else.`],
    });
  }
}

/**
 * A library where what a person types as a name (a file name, a code
 * identifier, an exact phrase) competes with documents that use the same
 * words many times, apart.
 */
function library() {
  const lib = folderLibrary();
  const noise = (words: string, n: number) => Array.from({ length: n }, () => words).join(' ');
  lib.addDocument({
    connectorId: 'folder',
    title: 'quarterly-report-2024.pdf',
    chunks: ['Revenue and costs for the last three months, with the outlook.'],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'Reporting guide',
    chunks: [`How to write a quarterly report: ${noise('a report each quarterly close, as pdf for 2024', 6)}.`],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'query.ts',
    chunks: [
      'export function parseQueryString(input: string) { return input.split("&"); }\n' +
        'parseQueryString is used by the router; parseQueryString never throws.',
    ],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'Parsing notes',
    chunks: [`${noise('parse the query string before you parse it again', 5)} (see parseQueryString).`],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'config.py',
    chunks: ['MAX_RETRY_COUNT = 5\nmax_retry_count controls the retries of a job.'],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'Retries',
    chunks: [`${noise('count the max retry and the retry count of a max job', 4)}.`],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'Finance basics',
    chunks: ['The net present value of a project discounts its cash flows.'],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'Presents',
    chunks: [`${noise('a net value present gift value net present for the value', 5)} calculation.`],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'uptime',
    chunks: ['Tell how long the system has been up and running, and the load.'],
  });
  lib.addDocument({
    connectorId: 'folder',
    title: 'Machines',
    chunks: [`${noise('a long machine', 4)} with machine parts and a long belt.`],
  });
  return lib;
}

describe('ranking what people type', () => {
  const lib = library();
  const { service } = searchServiceFor(lib);

  it('puts a file typed by its name first, by keyword and hybrid', async () => {
    for (const mode of ['keyword', 'hybrid'] as const) {
      expect(titles(await service.search({ query: 'quarterly-report-2024.pdf', mode }))[0]).toBe(
        'quarterly-report-2024.pdf',
      );
    }
    expect(titles(await service.search({ query: 'quarterly report 2024', mode: 'keyword' }))[0]).toBe(
      'quarterly-report-2024.pdf',
    );
  });

  it('puts the document using a code identifier first', async () => {
    for (const mode of ['keyword', 'hybrid'] as const) {
      expect(titles(await service.search({ query: 'parseQueryString', mode }))[0]).toBe('query.ts');
      expect(titles(await service.search({ query: 'max_retry_count', mode }))[0]).toBe('config.py');
    }
  });

  it('puts an exact phrase first and leaves out documents with its words apart', async () => {
    for (const mode of ['keyword', 'hybrid', 'semantic'] as const) {
      const r = await service.search({ query: '"net present value" calculation', mode });
      expect(titles(r)).toEqual(['Finance basics']);
    }
  });

  it('keeps function words in a short question, where they carry it, and drops them in a long one', async () => {
    const q = 'how long has the machine been up';
    expect(titles(await service.search({ query: q, mode: 'keyword' }))[0]).toBe('uptime');
    const textbook = searchServiceFor(lib, { tuning: { functionWordsAt: 1 } }).service;
    expect(titles(await textbook.search({ query: q, mode: 'keyword' }))[0]).toBe('Machines');
    expect(keywordMatch(lib.db, 'what is the net present value of a project ')).toBe(
      '"net" OR "present" OR "value" OR "project"',
    );
    // A query made only of function words keeps them all.
    expect(keywordMatch(lib.db, 'to be or not to be ')).toBe('"to" OR "be" OR "or" OR "not"');
  });

  it('searches the function words of a name typed as one run only inside its phrase', () => {
    // Loose, "with" had matched and marked every "with" in prose for `--force-with-lease`.
    expect(keywordMatch(lib.db, '--force-with-lease ')).toBe('"force" OR "lease" OR "force with lease"');
    expect(keywordMatch(lib.db, 'notes-of-the-year.md ')).toBe('"notes" OR "year" OR "md" OR "notes of the year md"');
    // A name made only of function words keeps them.
    expect(keywordMatch(lib.db, 'to_be ')).toBe('"to" OR "be" OR "to be"');
  });

  it('counts words that stem alike once', () => {
    expect(keywordMatch(lib.db, 'value values valued ')).toBe('"value"');
  });

  it('matches the last word as a prefix only while it is not yet a word of the library', () => {
    expect(keywordMatch(lib.db, 'retry cou')).toBe('"retry" OR "cou"*');
    // "long" is a word here: a finished word does not also match "longer", "longitude"...
    expect(keywordMatch(lib.db, 'machine long')).toBe('"machine" OR "long"');
    expect(keywordMatch(lib.db, 'machine long ')).toBe('"machine" OR "long"');
  });
});

describe('a word typed with a hyphen', () => {
  const lib = folderLibrary();
  const noise = (words: string, n: number) => Array.from({ length: n }, () => words).join(' ');
  const add = (title: string, text: string) => lib.addDocument({ connectorId: 'folder', title, chunks: [text] });
  // "co" as a word of its own: covariant type variables, many times over.
  add('typing.md', `${noise('T_co and KT_co are co variables; a routine check of VT_co', 6)}.`);
  add('tasks.md', 'Coroutines and tasks: a coroutine is awaited; run the coroutine with asyncio.run.');
  add('mail.md', 'Send an email with attachments: the email package builds the message.');
  add('letters.md', `${noise('e is a letter; mail the letter', 5)}, attachments aside.`);
  add('thermo.md', 'Heat transfer through a wall, by conduction.');
  // A name written with its hyphen far more often than closed up.
  add('git-credential.md', `${noise('git credential fill asks git credential helpers', 3)}.`);
  add('gitcredentials.md', 'gitcredentials: providing usernames and passwords to Git.');
  const { service } = searchServiceFor(lib, { embedder: false });
  const first = async (query: string) => titles(await service.search({ query, mode: 'keyword' }))[0];

  it('is searched as the word the library writes closed up, its parts only as their phrase', async () => {
    expect(await first('co-routine')).toBe('tasks.md');
    expect(await first('e-mail attachments')).toBe('mail.md');
    expect(keywordMatch(lib.db, 'e-mail attachments ')).toBe('"email" OR "attachments" OR "e mail"');
  });

  it('stays its parts where the library never closes it up, or writes it apart more often', async () => {
    expect(keywordMatch(lib.db, 'heat-transfer ')).toBe('"heat" OR "transfer"');
    expect(await first('heat-transfer')).toBe('thermo.md');
    expect(keywordMatch(lib.db, 'git-credential ')).toBe('"git" OR "credential"');
    expect(await first('git-credential')).toBe('git-credential.md');
  });
});

describe('a question typed with its opening frame', () => {
  const lib = folderLibrary();
  addUnrelatedPages(lib);
  for (const topic of ['maintain a branch', 'publish a branch', 'review a branch', 'name a branch']) {
    lib.addDocument({
      connectorId: 'folder',
      title: `How to ${topic}`,
      chunks: [`How do I ${topic}? Here is how I do it, and how you can do it too.`],
    });
  }
  lib.addDocument({
    connectorId: 'folder',
    title: 'git-branch',
    chunks: ['List, create or delete branches. With -m, rename a branch; with -d, delete it.'],
  });
  const { service } = searchServiceFor(lib, { embedder: false });

  it('is searched for what it asks, not for "how do I"', async () => {
    for (const query of [
      'how do I rename a branch',
      'how can we rename a branch',
      'how to rename a branch',
      'can I rename a branch',
    ]) {
      expect(titles(await service.search({ query, mode: 'keyword' }))[0], query).toBe('git-branch');
    }
    for (const query of ['how do I rename a branch ', 'can I rename a branch ', 'where can we rename a branch '])
      expect(keywordMatch(lib.db, query), query).toBe('"rename" OR "a" OR "branch"');
  });

  it('keeps an interrogative with a word of its own, and the frame of a question about one thing', () => {
    expect(keywordMatch(lib.db, 'how long is a branch ')).toBe('"how" OR "long" OR "is" OR "a" OR "branch"');
    // About one thing: the frame ranks the chunks holding it ("What is a branch?") and finds nothing alone.
    expect(keywordMatch(lib.db, 'what is a branch ')).toBe('"branch" AND ("branch" OR "what" OR "is" OR "a")');
  });

  it('answers a question about one thing with a page about it, not one asking about another', async () => {
    const asked = folderLibrary();
    addUnrelatedPages(asked);
    asked.addDocument({
      connectorId: 'folder',
      title: 'developers.md',
      chunks: ['What is a package? A package is a folder that is described by a manifest.'],
    });
    asked.addDocument({
      connectorId: 'folder',
      title: 'workspaces.md',
      chunks: ['Workspaces let one project hold many packages; each workspace has its own manifest.'],
    });
    const found = titles(
      await searchServiceFor(asked, { embedder: false }).service.search({
        query: 'what is a workspace',
        mode: 'keyword',
      }),
    );
    expect(found).toEqual(['workspaces.md']);
    // A word the library lacks is not required: its correction may be what is meant.
    expect(keywordMatch(asked.db, 'what is a worksapce ')).not.toMatch(/AND/);
  });
});

describe('a document typed by its name', () => {
  const lib = folderLibrary();
  lib.addDocument({ connectorId: 'folder', title: 'cat.txt', chunks: ['Concatenate files and print them.'] });
  lib.addDocument({
    connectorId: 'folder',
    title: 'cat-care.md',
    chunks: ['The cat sleeps. A cat, a cat and a cat: cats everywhere, every cat fed.'],
  });
  lib.addDocument({ connectorId: 'folder', title: 'budget.xlsx', chunks: ['Budget for the garden.'] });
  lib.addDocument({
    connectorId: 'folder',
    title: 'budget-notes.md',
    chunks: ['Budget budget budget: the budget of the budget.'],
  });
  addUnrelatedPages(lib);
  const { service } = searchServiceFor(lib);

  it('comes first, with or without its extension, in any case, before pages that use the word more', async () => {
    for (const query of ['cat', 'CAT.txt', '"cat.txt"']) {
      expect(titles(await service.search({ query, mode: 'keyword' }))[0]).toBe('cat.txt');
    }
    expect(titles(await service.search({ query: 'budget ', mode: 'hybrid' }))[0]).toBe('budget.xlsx');
    // A word that names nothing ranks by BM25 as before.
    expect(titles(await service.search({ query: 'cats', mode: 'keyword' }))[0]).toBe('cat-care.md');
  });
});

/** Pages whose titles share no word with the questions asked, so that only their chunks compete, among unrelated ones. */
function competingPages(...pages: Array<[title: string, text: string]>) {
  const lib = folderLibrary();
  for (const [title, text] of pages) lib.addDocument({ connectorId: 'folder', title, chunks: [text] });
  addUnrelatedPages(lib);
  return lib;
}

/** What a keyword search for `query` ranks, as it is and with BM25 alone (no word pairs). */
async function keywordTitlesWithAndWithoutPairs(
  lib: ReturnType<typeof createLibrary>,
  query: string,
): Promise<{ withPairs: string[]; wordsAlone: string[] }> {
  const ranked = async (tuning: SearchTuning) =>
    titles(await searchServiceFor(lib, { tuning }).service.search({ query, mode: 'keyword' }));
  return { withPairs: await ranked({}), wordsAlone: await ranked({ proximityWeight: 0 }) };
}

describe('words of a question side by side', () => {
  const lib = competingPages(
    ['Tailing', 'Keep the log file open and print its last lines as new ones arrive, until you stop it.'],
    ['Rotation', 'Each file in the log folder keeps its lines, last ones first, for a week.'],
  );

  it('rank the chunk that has them together above one that has them apart', async () => {
    // BM25 alone prefers the shorter chunk, which has every word but not one pair.
    expect(await keywordTitlesWithAndWithoutPairs(lib, 'show the last lines of a log file')).toEqual({
      withPairs: ['Tailing', 'Rotation'],
      wordsAlone: ['Rotation', 'Tailing'],
    });
  });

  it('pair the words as the library has them: a misspelling by its likely word, not the word still being typed', () => {
    const plan = (q: string) => planKeywordQuery(lib.db, parseQuerySyntax(q));
    expect(plan('last lines log file ').pairs).toEqual([
      ['last', 'lines'],
      ['lines', 'log'],
      ['log', 'file'],
    ]);
    expect(plan('lats lines').pairs).toEqual([['last', 'lines']]);
    expect(plan('log fil').pairs).toEqual([]);
  });
});

describe("a long question's function words", () => {
  const lib = competingPages(
    ['Counting', 'Prints the numbers from first to last.'],
    ['Listing', 'Numbers to print, first and last.'],
  );
  const plan = (q: string) => planKeywordQuery(lib.db, parseQuerySyntax(q));

  it('stay in its word pairs beside a content word, never paired with each other', () => {
    // Searched as words, they are dropped: the question has four content words.
    expect(plan('print numbers from first to last').words).toEqual(['print', 'numbers', 'first', 'last']);
    expect(plan('print numbers from first to last').pairs).toEqual([
      ['print', 'numbers'],
      ['numbers', 'from'],
      ['from', 'first'],
      ['first', 'to'],
      ['to', 'last'],
    ]);
    expect(plan('show the last lines of a log file').pairs).not.toContainEqual(['of', 'a']);
  });

  it('raise the chunk that says it the way the question does', async () => {
    // BM25 alone prefers the shorter chunk; no pair of content words stands side by side in either.
    expect(await keywordTitlesWithAndWithoutPairs(lib, 'print numbers from first to last')).toEqual({
      withPairs: ['Counting', 'Listing'],
      wordsAlone: ['Listing', 'Counting'],
    });
  });

  it('are left out of the pairs once too many chunks hold them, the words beside them paired instead', () => {
    const big = folderLibrary();
    const shelves = (word: string) =>
      big.addDocument({
        connectorId: 'folder',
        title: `Shelves ${word}`,
        chunks: Array.from({ length: PAIRED_FUNCTION_WORD_ROWS + 1 }, (_, i) => `${word} shelf ${i}`),
      });
    big.addDocument({ connectorId: 'folder', title: 'Printing', chunks: ['Print numbers from the list.'] });
    shelves('a');
    const pairs = () => planKeywordQuery(big.db, parseQuerySyntax('print numbers from the shelf list')).pairs;
    // More chunks than a phrase walk may read, but few of them hold "from" or "the".
    expect(pairs()).toEqual([
      ['print', 'numbers'],
      ['numbers', 'from'],
      ['the', 'shelf'],
      ['shelf', 'list'],
    ]);
    // Now more chunks hold "the" than PAIRED_FUNCTION_WORD_ROWS: it is counted again, and left out.
    shelves('the');
    expect(pairs()).toEqual([
      ['print', 'numbers'],
      ['numbers', 'from'],
      ['from', 'shelf'],
      ['shelf', 'list'],
    ]);
  });
});

describe('snippets under a result', () => {
  it('start with what the section says, not with the title and heading shown above them', async () => {
    const lib = folderLibrary();
    lib.addDocument({
      connectorId: 'folder',
      title: 'Growing tomatoes',
      chunks: ['# Growing tomatoes\n\nWater the tomato beds deeply twice a week.'],
    });
    const { service } = searchServiceFor(lib);
    for (const mode of ['keyword', 'hybrid'] as const) {
      const r = await service.search({ query: 'tomato', mode });
      const snippet = r.groups[0]!.chunks[0]!.snippet.map((s) => s.text).join('');
      expect(snippet).toBe('Water the tomato beds deeply twice a week.');
    }
  });
});
