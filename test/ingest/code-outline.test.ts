import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/main/core/ingest';
import { CodeOutline, declarationLabel } from '../../src/main/core/ingest/chunking/code-outline';
import { parseCode } from '../../src/main/core/ingest/parsers/text';

/** The path the outline gives the line holding `marker` (the first line containing it). */
function pathAt(source: string, marker: string, language?: string): string[] {
  const offset = source.indexOf(marker);
  if (offset < 0) throw new Error(`no ${marker}`);
  return new CodeOutline(source, language).enclosing(source.lastIndexOf('\n', offset) + 1);
}

const label = (line: string, next = ''): string | null => declarationLabel(line, next);

describe('code outline', () => {
  it('names the class and method around a line of TypeScript, multi-line parameters included', () => {
    const source = [
      'import { x } from "./x";',
      '',
      'export class JobQueue<P extends Map = Map> {',
      '  private readonly jobs = new Map();',
      '',
      '  enqueue(',
      '    type: string,',
      '    payload: unknown,',
      '  ): string {',
      '    if (type === "") {',
      '      throw new Error("MARK_A");',
      '    }',
      '    return "MARK_B";',
      '  }',
      '',
      '  stop(): void {',
      '    this.jobs.clear(); // MARK_C',
      '  }',
      '}',
      '',
      'const MARK_D = 1;',
    ].join('\n');
    expect(pathAt(source, 'MARK_A')).toEqual(['class JobQueue', 'enqueue()']);
    expect(pathAt(source, 'MARK_B')).toEqual(['class JobQueue', 'enqueue()']);
    expect(pathAt(source, 'MARK_C')).toEqual(['class JobQueue', 'stop()']);
    expect(pathAt(source, 'MARK_D')).toEqual([]);
  });

  it('reads Python, Go, Rust, C with its brace below, Ruby and shell', () => {
    const python =
      'class Decoder(object):\n    """A class of problems."""\n\n    def decode(self, s):\n        return s  # MARK\n';
    expect(pathAt(python, 'MARK')).toEqual(['class Decoder', 'decode()']);
    const go = 'type Client struct {\n\tName string\n}\n\nfunc (c *Client) Run() error {\n\treturn nil // MARK\n}\n';
    expect(pathAt(go, 'MARK')).toEqual(['Run()']);
    expect(pathAt(go, 'Name string')).toEqual(['type Client']);
    const rust = 'impl<T: Clone> Store<T> {\n    pub fn get(&self) -> T {\n        self.x.clone() // MARK\n    }\n}\n';
    expect(pathAt(rust, 'MARK')).toEqual(['impl<T: Clone> Store<T>', 'get()']);
    const c = 'static int\nparse_header (const char *line)\n{\n  return 0; /* MARK */\n}\n';
    expect(pathAt(c, 'MARK')).toEqual(['parse_header()']);
    const ruby = 'module Billing\n  class Invoice < Base\n    def total\n      42 # MARK\n    end\n  end\nend\n';
    expect(pathAt(ruby, 'MARK')).toEqual(['module Billing', 'class Invoice', 'total()']);
    const shell = 'backup() {\n  tar czf out.tgz "$1" # MARK\n}\n';
    expect(pathAt(shell, 'MARK')).toEqual(['backup()']);
  });

  it('reads the sections of INI and TOML files, and the keys a YAML value is under', () => {
    const toml = '[package]\nname = "trove"\n\n[tool.poetry.dependencies]\npython = "^3.11" # MARK\n';
    expect(pathAt(toml, 'MARK', 'toml')).toEqual(['tool.poetry.dependencies']);
    expect(pathAt(toml, 'name =', 'toml')).toEqual(['package']);
    // A chunk opening on a header is not under the section before it.
    expect(pathAt(toml, '[tool.poetry', 'toml')).toEqual([]);
    const ini = '[core]\n\teditor = vim\n[remote "origin"]\n\turl = git@example.org:x.git ; MARK\n';
    expect(pathAt(ini, 'MARK', 'ini')).toEqual(['remote "origin"']);
    const yaml = [
      'services:',
      '  web:',
      '    environment:',
      '      DATABASE_URL: postgres://db # MARK_A',
      'jobs:',
      '  test:',
      '    steps:',
      '    - uses: actions/checkout@v4',
      '    - run: |',
      '        npm ci # MARK_B',
      '    - run: npm test # MARK_C',
      'name: ci # MARK_D',
    ].join('\n');
    expect(pathAt(yaml, 'MARK_A', 'yaml')).toEqual(['services', 'web', 'environment']);
    expect(pathAt(yaml, 'MARK_B', 'yaml')).toEqual(['jobs', 'test', 'steps', 'run']);
    expect(pathAt(yaml, 'MARK_C', 'yaml')).toEqual(['jobs', 'test', 'steps']);
    expect(pathAt(yaml, 'MARK_D', 'yaml')).toEqual([]);
    // Read as its own language only: a Python list literal is not a section.
    expect(pathAt('[1, 2]\nx = 1 # MARK\n', 'MARK', 'python')).toEqual([]);
  });

  it('names tests by their descriptions, as a test runner reports them', () => {
    const vitest =
      "describe('job queue', () => {\n  it('retries with backoff', async () => {\n    expect(1).toBe(1); // MARK\n  });\n});\n";
    expect(pathAt(vitest, 'MARK')).toEqual(['job queue', 'retries with backoff']);
    const rspec =
      "RSpec.describe Invoice do\n  context 'when paid' do\n    it 'is closed' do\n      expect(x).to be_closed # MARK\n    end\n  end\nend\n";
    expect(pathAt(rspec, 'MARK')).toEqual(['Invoice', 'when paid', 'is closed']);
    expect(label('describe Billing::Plan, type: :model do')).toBe('Billing::Plan');
    expect(label('  it.skip("can\'t stop", function () {')).toBe("can't stop");
    // A call with a string that is not a test: no block, or not a test function's name.
    expect(label("  it('is short', 5);")).toBeNull();
    expect(label("  log('starting', () => {")).toBeNull();
  });

  it('names functions bound to names and declared tables', () => {
    expect(label('export const handler = async (event: Event) => {')).toBe('handler()');
    expect(label('const render = function () {')).toBe('render()');
    expect(label('  save: async (doc: Doc) => {')).toBe('save()');
    // Variables named as keywords are not declarations of that kind.
    expect(label('impl.run = () => {')).toBe('impl.run()');
    expect(label('object.handler = function (event) {')).toBe('object.handler()');
    expect(label('function* walk(tree) {')).toBe('walk()');
    expect(label('impl<T> Display for Wrapper<T> {')).toBe('impl<T> Display for Wrapper<T>');
    expect(label('  onClick: function () {')).toBe('onClick()');
    // A function's type in a type literal is no body.
    expect(label('  save: (doc: Doc) => void;')).toBeNull();
    expect(label('export const CHUNK_SIZES: Record<string, Sizes> = {')).toBe('CHUNK_SIZES');
    expect(label('public static async Task<int> CountAsync(string path)', '{')).toBe('CountAsync()');
  });

  it('never takes a statement, a call or a sentence for a declaration', () => {
    for (const line of [
      '  if (ready) {',
      '  } else if (count > 2) {',
      '  for (const x of xs) {',
      '  while (true) {',
      '  switch (kind) {',
      '  } catch (error) {',
      '  useEffect(() => {',
      '  items.forEach((item) => {',
      '  repeat(3) {',
      '  withContext(Dispatchers.IO) {',
      '  return compute(a, b);',
      '  result = compute(a, b)',
      '  state = {',
      '    class of problems that are hard',
      '    module that reads the files',
      '  // function to call later',
      '  const total = items.length;',
      '  return new Promise((resolve) => {',
    ]) {
      expect(label(line), line).toBeNull();
    }
    // A C call on its own line is not a signature, even with a brace block below it.
    expect(label('  do_work(a, b);', '{')).toBeNull();
  });

  it('gives a chunk cut from the middle of a method the names around it', () => {
    const body = Array.from({ length: 60 }, (_, i) => `    const step${i} = input.value * ${i} + offset;`).join('\n');
    const source = [
      'export class Ledger {',
      '  balance(input: Entry, offset: number): number {',
      body,
      '    return offset;',
      '  }',
      '}',
      '',
      'export function audit(ledger: Ledger): void {',
      '  ledger.check();',
      '}',
      '',
    ].join('\n');
    const chunks = chunkDocument(parseCode(source, 'typescript'));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]!.headingPath).toEqual([]);
    const middle = chunks.find((c) => c.text.includes('step40'));
    expect(middle?.text.startsWith('export class')).toBe(false);
    expect(middle?.headingPath).toEqual(['class Ledger', 'balance()']);
    const last = chunks.at(-1)!;
    if (last.text.startsWith('export function audit')) expect(last.headingPath).toEqual([]);
  });

  it('does not count a method among those around its own first line', () => {
    const method = (name: string): string =>
      [
        `    def ${name}(self, value):`,
        ...Array.from({ length: 40 }, (_, i) => `        total_${i} = value * ${i} + self.offset`),
        '        return value',
      ].join('\n');
    const source = ['class Ledger:', method('first'), '', method('second'), ''].join('\n');
    const chunks = chunkDocument(parseCode(source, 'python'));
    const second = chunks.find((c) => c.text.startsWith('def second'));
    expect(second, chunks.map((c) => c.text.slice(0, 30)).join(' | ')).toBeDefined();
    expect(second?.headingPath).toEqual(['class Ledger']);
  });

  it('keeps a path short in a file nested thousands deep', () => {
    const yaml =
      Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}key${i}:`).join('\n') + `\n${' '.repeat(3000)}x: 1\n`;
    const chunks = chunkDocument(parseCode(yaml, 'yaml'));
    for (const chunk of chunks) expect(chunk.headingPath.length).toBeLessThanOrEqual(6);
    // The outermost names and the innermost ones.
    const last = chunks.at(-1)!.headingPath;
    expect(last.slice(0, 2)).toEqual(['key0', 'key1']);
    expect(last.slice(2).every((label) => Number(label.slice(3)) > 2900)).toBe(true);
  });

  it('reads a long file with hostile lines in linear time', () => {
    const hostile = [
      'a '.repeat(5000) + '(',
      'x('.repeat(3000),
      'const ' + 'a'.repeat(5000) + ' = (',
      ' '.repeat(399) + 'f(' + ' int a,'.repeat(40),
      // Under the length declarations are read at: each pattern must stay linear on it.
      "it('a', " + 'function '.repeat(43),
      '  a '.repeat(99) + '(',
      'export '.repeat(57),
    ];
    const source = Array.from({ length: 2000 }, (_, i) => hostile[i % hostile.length]).join('\n');
    const started = performance.now();
    const path = new CodeOutline(source).enclosing(source.length);
    expect(path).toEqual([]);
    // Generous: the point is that it is not quadratic per line (that took minutes).
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
