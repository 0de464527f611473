import { describe, expect, it } from 'vitest';
import { detectType } from '../../src/main/core/ingest/file-types';
import { parseFile } from './helpers/parse-file';

const notebook = (cells: unknown[], metadata: unknown = { language_info: { name: 'python' } }) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells }, null, 1);

const parse = (text: string) => parseFile(text, 'analysis.ipynb');

const PLOT = 'iVBORw0KGgo'.repeat(5_000);

describe('Jupyter notebooks', () => {
  it('read as the notebook shows: Markdown cells, code in its language, text output, no pictures', async () => {
    const parsed = await parse(
      notebook([
        { cell_type: 'markdown', metadata: {}, source: ['# Rainfall by month\n', '\n', 'Loads the *gauge* data.'] },
        {
          cell_type: 'code',
          execution_count: 1,
          metadata: {},
          source: ['import pandas as pd\n', "rain = pd.read_csv('gauge.csv')\n", 'rain.mean()'],
          outputs: [
            { output_type: 'stream', name: 'stdout', text: ['loaded 365 rows\n'] },
            { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': ['mm    2.4'] }, metadata: {} },
            { output_type: 'display_data', data: { 'image/png': PLOT, 'text/plain': ['<Figure size 640x480>'] } },
          ],
        },
        {
          cell_type: 'code',
          source: 'rain.plot(kind="bar")',
          outputs: [
            {
              output_type: 'error',
              ename: 'KeyError',
              evalue: "'month'",
              traceback: ['\u001b[0;31mKeyError\u001b[0m'],
            },
          ],
        },
      ]),
    );
    expect(parsed.title).toBe('Rainfall by month');
    expect(parsed.format).toBe('markdown');
    expect(parsed.text).toBe(
      [
        '# Rainfall by month',
        '',
        'Loads the *gauge* data.',
        '',
        '```python',
        'import pandas as pd',
        "rain = pd.read_csv('gauge.csv')",
        'rain.mean()',
        '```',
        '',
        '```\nloaded 365 rows\n```',
        '',
        '```\nmm    2.4\n```',
        '',
        '```\n<Figure size 640x480>\n```',
        '',
        '```python\nrain.plot(kind="bar")\n```',
        '',
        "```\nKeyError: 'month'\n```",
      ].join('\n'),
    );
    expect(parsed.text).not.toContain('iVBOR');
  });

  it('show output without its terminal colours', async () => {
    const coloured = '\u001b[32m100%\u001b[0m|\u001b[1mdone\u001b[22m\n';
    const parsed = await parse(
      notebook([{ cell_type: 'code', source: 'fit()', outputs: [{ output_type: 'stream', text: coloured }] }]),
    );
    expect(parsed.text).toBe('```python\nfit()\n```\n\n```\n100%|done\n```');
  });

  it('keep a long output to its first 2,000 characters', async () => {
    const table = 'row '.repeat(10_000);
    const parsed = await parse(
      notebook([{ cell_type: 'code', source: 'df', outputs: [{ output_type: 'stream', text: table }] }]),
    );
    expect(parsed.text.length).toBeLessThan(2_100);
    expect(parsed.text).toContain('row row');
  });

  it('read nbformat 3 worksheets, and a .ipynb that is no notebook as JSON', async () => {
    const v3 = JSON.stringify({
      nbformat: 3,
      worksheets: [{ cells: [{ cell_type: 'code', language: 'python', input: ['x = 1'], outputs: [] }] }],
      metadata: {},
    });
    expect((await parse(v3)).text).toBe('```\nx = 1\n```');
    const other = await parse('{"rows": [1, 2]}');
    expect([other.format, other.text]).toEqual(['code', '{\n  "rows": [\n    1,\n    2\n  ]\n}']);
  });

  it('are known by their extension and their MIME type', () => {
    const bytes = new TextEncoder().encode('{}');
    expect(detectType({ kind: 'bytes', bytes, fileName: 'a.ipynb', mimeType: 'application/octet-stream' })).toEqual({
      kind: 'notebook',
    });
    expect(detectType({ kind: 'text', text: '{}', mimeType: 'application/x-ipynb+json' })).toEqual({
      kind: 'notebook',
    });
  });
});
