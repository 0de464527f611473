import { describe, expect, it } from 'vitest';
import { declares, documentsDeclaring, looksLikeIdentifier, namesAsked } from '../../src/main/core/search/declarations';
import { createLibrary, searchServiceFor, keywordTitles } from './library';

describe('a typed code identifier', () => {
  it('is a word written as only code writes one', () => {
    for (const word of [
      'foldNearDuplicates',
      'MAX_RETRIES',
      'parse_header',
      'XMLHttpRequest',
      '$scopeApply',
      'utf8_decode',
    ])
      expect({ word, id: looksLikeIdentifier(word) }).toEqual({ word, id: true });
    for (const word of [
      'budget',
      'JSON',
      'Budget',
      'utf8',
      '_private',
      'ab',
      'fold near duplicates',
      'x.y_z',
      'iPhone review',
    ])
      expect({ word, id: looksLikeIdentifier(word) }).toEqual({ word, id: false });
  });

  it('is declared by the definitions each language writes on one line', () => {
    const declared: Array<[string, string]> = [
      ['export function foldNearDuplicates(', 'foldNearDuplicates'],
      ['export type SearchTuning = {', 'SearchTuning'],
      ['type Server struct {', 'Server'], // Go
      ['std::string userName;', 'userName'], // C++
      ['export async function* walkFiles(root: string) {', 'walkFiles'],
      ['export const MAX_RETRIES = 3;', 'MAX_RETRIES'],
      ['  let retryCount: number = 0;', 'retryCount'],
      ['export interface SearchGroup {', 'SearchGroup'],
      ['type RankedChunk = { id: number };', 'RankedChunk'],
      ['class QueueHarness extends Base {', 'QueueHarness'],
      ['  async claimNext(worker: string): Promise<Job | null> {', 'claimNext'],
      ['  toDocument(doc) {', 'toDocument'],
      ['def parse_header(line):', 'parse_header'],
      ['MAX_RETRIES = 3', 'MAX_RETRIES'],
      ['func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {', 'handleWebhook'],
      ['func parseHeader(line string) (Header, error) {', 'parseHeader'],
      ['maxRetries := 3', 'maxRetries'],
      ['pub fn parse_header(line: &str) -> Header {', 'parse_header'],
      ['#define MAX_RETRIES 3', 'MAX_RETRIES'],
      ['static int parse_header(const char *line)', 'parse_header'],
      ['public static final int MAX_RETRIES = 3;', 'MAX_RETRIES'],
      ['    public void handleWebhook(Request request) throws IOException {', 'handleWebhook'],
      ['private String userName;', 'userName'],
      ['fun parseHeader(line: String): Header {', 'parseHeader'],
      ['sub parse_header {', 'parse_header'],
      ['parse_header() {', 'parse_header'],
      ['local function parse_header(line)', 'parse_header'],
      ['  def parse_header(line)', 'parse_header'], // Ruby
      ['    func parseHeader(_ line: String) -> Header {', 'parseHeader'], // Swift
      ['    public function parseHeader(string $line): Header', 'parseHeader'], // PHP
      ['object HeaderParser extends App {', 'HeaderParser'], // Scala
      ['  def parseHeader(line: String): Header = {', 'parseHeader'], // Scala
      ['    public async Task<Header> ParseHeaderAsync(string line)', 'ParseHeaderAsync'], // C#
    ];
    for (const [line, name] of declared)
      expect({ line, declared: declares(`// above\n${line}\n`, name) }).toEqual({ line, declared: true });
  });

  it('is not declared where it is only used, compared, mentioned or is part of a longer name', () => {
    const used: Array<[string, string]> = [
      ['  const groups = foldNearDuplicates(db, found);', 'foldNearDuplicates'],
      ['  return foldNearDuplicates(db, found);', 'foldNearDuplicates'],
      ['  await claimNext(worker);', 'claimNext'],
      ['describeGroups(groups, () => {', 'describeGroups'],
      ['if (MAX_RETRIES == 3) {', 'MAX_RETRIES'],
      ['  MAX_RETRIES == attempts', 'MAX_RETRIES'],
      ['Call foldNearDuplicates(db, groups) to fold them.', 'foldNearDuplicates'],
      ['Set MAX_RETRIES to 3 in the config.', 'MAX_RETRIES'],
      ['export function foldNearDuplicatesAgain(', 'foldNearDuplicates'],
      ['const x = this.foldNearDuplicates;', 'foldNearDuplicates'],
      ['  result = parse_header(line)', 'parse_header'],
      // Names imported or re-exported as types, and a property typed with one (on Trove's own
      // sources these put an index.ts and a user of the type above the file that declares it).
      ["export { SearchService, type SearchTuning } from './search.service';", 'SearchTuning'],
      ["import { type SearchTuning } from './tuning';", 'SearchTuning'],
      ["import {\n  type SearchTuning,\n  type RankedChunk\n} from './types';", 'SearchTuning'],
      ["import {\n  type SearchTuning,\n  type RankedChunk\n} from './types';", 'RankedChunk'],
      ["export { type SearchTuning as Tuning } from './tuning';", 'SearchTuning'],
      ['  tuning?: SearchTuning;', 'SearchTuning'],
      // A call at an interactive prompt runs the name; its ">>>" is no type.
      ['>>> parse_header(line)', 'parse_header'],
      ['  readonly tuning: SearchTuning;', 'SearchTuning'],
    ];
    for (const [line, name] of used)
      expect({ line, declared: declares(line, name) }).toEqual({ line, declared: false });
  });
});

describe('search for a typed identifier', () => {
  const lib = createLibrary();
  lib.addConnector('code', 'local_folder');
  const add = (title: string, text: string, code = true) =>
    lib.addDocument({ connectorId: 'code', title, chunks: [text], mimeType: 'text/x-typescript', code });
  // The test and the caller use it most; the file that declares it uses it once.
  add(
    'near-duplicates.test.ts',
    Array.from({ length: 8 }, (_, i) => `expect(foldNearDuplicates(db, g${i})).toEqual([]);`).join('\n'),
  );
  add('search.service.ts', 'const groups = foldNearDuplicates(db, found);\nreturn foldNearDuplicates(db, groups);');
  add(
    'near-duplicates.ts',
    'import { resemblance } from "./text-sketch";\n/** Folds copies into one result. */\nexport function foldNearDuplicates(\n  db: Database,\n  groups: FusedGroup[],\n) {\n  return groups;\n}\n' +
      'const unrelated = 1;\n'.repeat(40),
  );
  const { service } = searchServiceFor(lib, { embedder: false });
  const none = { defining: new Set(), assigning: new Set() };
  const titles = (query: string) => keywordTitles(service, query);

  it('puts first the document that declares it, then the rest in their order', async () => {
    const found = await titles('foldNearDuplicates');
    expect(found[0]).toBe('near-duplicates.ts');
    expect(found.slice(1).sort()).toEqual(['near-duplicates.test.ts', 'search.service.ts']);
  });

  it('puts it first when its name is typed as its words, in any of the ways code writes them', async () => {
    add('limits.py', 'MONTHLY_BUDGET_LIMIT = 400\n\ndef spend(amount):\n    return amount <= MONTHLY_BUDGET_LIMIT');
    add(
      'monthly_budget_limit_test.py',
      Array.from({ length: 6 }, (_, i) => `assert spend(${i}) <= MONTHLY_BUDGET_LIMIT  # monthly budget limit`).join(
        '\n',
      ),
    );
    // Prose declares nothing: a note whose line opens with "const" is no definition.
    const note = add('style.md', 'const monthlyBudgetLimit = the monthly budget limit, the name we settled on.', false);
    const asGroup = (id: string, chunkId: number) => ({
      documentId: id,
      score: 1,
      chunks: [{ chunkId, documentId: id, score: 1 }],
    });
    expect(documentsDeclaring(lib.db, [asGroup(note.id, note.chunkIds[0]!)], 'monthly budget limit')).toEqual(none);
    // Without the declaration, the test named after it would come first; the note is no definition.
    expect((await titles('monthly budget limit'))[0]).toBe('limits.py');
    expect((await titles('Monthly Budget Limit'))[0]).toBe('limits.py');
    expect(namesAsked('near duplicates')?.names).toEqual([
      'nearDuplicates',
      'NearDuplicates',
      'near_duplicates',
      'NEAR_DUPLICATES',
    ]);
    // One word, five words, or words that are not names ask for no declaration.
    for (const typed of ['duplicates', 'fold the near duplicates of a page', 'near-duplicate pages', 'über größe'])
      expect(namesAsked(typed)).toBeNull();
  });

  it('puts it first when it is typed without its capitals, as a symbol search takes it', async () => {
    for (const typed of ['foldnearduplicates', 'FOLDNEARDUPLICATES'])
      expect({ typed, first: (await titles(typed))[0] }).toEqual({ typed, first: 'near-duplicates.ts' });
    // A word code writes only as itself is a word: typed, it lifts no declaration of it.
    const config = add('retry.py', 'attempts = 3\n');
    const asGroup = {
      documentId: config.id,
      score: 1,
      chunks: [{ chunkId: config.chunkIds[0]!, documentId: config.id, score: 1 }],
    };
    expect(documentsDeclaring(lib.db, [asGroup], 'attempts')).toEqual(none);
  });

  it('puts the definition above a module that only assigns the name', async () => {
    // Python's concurrent/futures: the package's lazy import binds the name, thread.py defines the class.
    add(
      '__init__.py',
      [
        'def __getattr__(name):',
        '    global ThreadPoolExecutor',
        "    if name == 'ThreadPoolExecutor':",
        '        from .thread import ThreadPoolExecutor as te',
        '        ThreadPoolExecutor = te',
        '        return te',
        "__all__ = ('ThreadPoolExecutor', 'ProcessPoolExecutor')",
      ].join('\n'),
    );
    add(
      'thread.py',
      'class ThreadPoolExecutor(_base.Executor):\n    _counter = itertools.count().__next__\n' +
        '    def submit(self, fn):\n        return fn\n'.repeat(30),
    );
    expect((await titles('ThreadPoolExecutor')).slice(0, 2)).toEqual(['thread.py', '__init__.py']);
  });

  it('puts first the file defining a plain word typed, where the best match is code', async () => {
    // Python's urllib: the 2to3 fixer names urlopen most, request.py defines it.
    add(
      'fix_urllib.py',
      Array.from({ length: 6 }, (_, i) => `    ('urllib2', ['urlopen', 'install_opener${i}']),`).join('\n'),
    );
    add('request.py', 'def urlopen(url, data=None, timeout=None):\n    return opener.open(url, data, timeout)\n');
    expect((await titles('urlopen')).slice(0, 2)).toEqual(['request.py', 'fix_urllib.py']);
  });

  it('lifts no definition of a plain word where the best match is prose', async () => {
    add('Garden plan.md', 'The zqplan: beds, then zqplan paths, and the zqplan for water.', false);
    add(
      'plan.ts',
      'export function zqplan(beds: Bed[]): Plan {\n  return layout(beds);\n}\n' + 'const unused = 1;\n'.repeat(30),
    );
    expect(await titles('zqplan')).toEqual(['Garden plan.md', 'plan.ts']);
  });

  it('keeps a document named as typed above it', async () => {
    add('foldNearDuplicates.md', 'Notes on foldNearDuplicates.', false);
    expect((await titles('foldNearDuplicates')).slice(0, 2)).toEqual(['foldNearDuplicates.md', 'near-duplicates.ts']);
  });
});

describe('search for a qualified name', () => {
  const lib = createLibrary();
  lib.addConnector('docs', 'local_folder');
  const add = (title: string, chunks: string[]) =>
    lib.addDocument({ connectorId: 'docs', title, chunks, mimeType: 'text/markdown', code: false });
  // Release notes name it most, in sentences; a tutorial calls it at the prompt; the reference
  // documents it in an entry with its parameters, in a long page.
  add('whatsnew.md', [
    '`json.loads()` now accepts bytes. `json.load()` and `json.loads()` support binary input (bpo-17909).',
  ]);
  add('tutorial.md', [">>> json.loads('[1, 2]')\n[1, 2]\n>>> json.loads('{}')\n{}"]);
  add('json.md', [
    'The json module encodes and decodes JSON documents. ' + 'It follows the standard closely. '.repeat(30),
    'json.loads(_s_, _\\*_, _cls\\=None_, _object\\_hook\\=None_)\n\nDeserialize _s_, a str holding a JSON document, to a Python object. ' +
      'The other arguments have the same meaning as in load(). '.repeat(12),
  ]);
  add('files.md', ['Attachments:\n\nreport.pdf\n\nbudget.xlsx', 'More about report.pdf and the json.loads fix.']);
  add('report.md', ['The report.pdf report.pdf report.pdf of the year, in report.pdf form.']);
  const { service } = searchServiceFor(lib, { embedder: false });
  const titles = (query: string) => keywordTitles(service, query);

  it('puts first the page whose reference entry documents it', async () => {
    const found = await titles('json.loads');
    expect(found[0]).toBe('json.md');
    expect(found).toContain('whatsnew.md');
  });

  it('takes a file listed on a line of its own for no entry', async () => {
    expect((await titles('report.pdf'))[0]).toBe('report.md');
  });
});

describe('search for an identifier documented in prose', () => {
  const lib = createLibrary();
  lib.addConnector('docs', 'local_folder');
  const add = (title: string, chunks: string[]) =>
    lib.addDocument({ connectorId: 'docs', title, chunks, mimeType: 'text/markdown', code: false });
  const filler = (sentence: string, times: number) => ` ${sentence}`.repeat(times);
  // Release notes and notes name it most: under a heading of its name, in examples (fenced, in an
  // indented literal block, in a chunk begun inside the fence the chunk before opened). The reference
  // declares it once, under its module's or object's name, in a long page.
  add('whatsnew.md', [
    'OrderedDict\n-----------\n\nThe OrderedDict is now written in C. OrderedDict runs faster; run_until_complete too.',
    'Example:\n\n```\nloop = asyncio.new_event_loop()\nloop.run_until_complete(main())\n```\n\nrun_until_complete returns the result.',
    'Example::\n\n    d = OrderedDict(items)\n    loop.run_until_complete(d)\n',
  ]);
  const { chunkIds } = lib.addDocument({
    connectorId: 'docs',
    title: 'notes.md',
    chunks: [
      '```\nsetup()\n```',
      'loop.run_until_complete(main())\nOrderedDict(pairs)\n```\nrun_until_complete OrderedDict',
    ],
    mimeType: 'text/markdown',
    code: false,
  });
  // The second chunk begins inside the fence the first opened (ingest's open-fences.ts records it).
  lib.db
    .prepare(
      `UPDATE imported_doc_chunks SET metadata = json_set(metadata, '$.openFence', '${'`'.repeat(3)}') WHERE id = ?`,
    )
    .run(chunkIds[1]);
  add('collections.md', [
    'The collections module has container datatypes.' + filler('It follows dict closely.', 30),
    '_class_ collections.OrderedDict(\\[_items_\\])\n\nReturn an instance of a dict subclass.' +
      filler('Order is kept.', 12),
  ]);
  add('eventloop.md', [
    'The event loop runs tasks.' + filler('It is the core of asyncio.', 30),
    'loop.run_until_complete(_future_)\n\nRun until the future has completed.' + filler('It returns its result.', 12),
  ]);
  add('pack-format.md', [
    'Packs live in $GIT_DIR/objects/pack, their index in $GIT_DIR/objects/pack too; $GIT_DIR/objects/info/packs lists them.',
  ]);
  add('git.md', [
    'Environment variables.' + filler('They change what git does.', 30),
    '`GIT_DIR`::\n\tIf the GIT_DIR environment variable is set, it names the repository.',
  ]);
  const { service } = searchServiceFor(lib, { embedder: false });
  const first = async (query: string) => (await keywordTitles(service, query))[0];

  it('puts first the page whose entry declares it, under its module or object name or as a term', async () => {
    expect(await first('OrderedDict')).toBe('collections.md');
    expect(await first('run_until_complete')).toBe('eventloop.md');
    expect(await first('GIT_DIR')).toBe('git.md');
  });
});
