import { describe, expect, it } from 'vitest';
import { classifyContent, type ParsedDocument } from '../../src/main/core/ingest';
import { parseCode, parseMarkdown, parsePlain } from '../../src/main/core/ingest/parsers/text';
import { parseDelimited } from '../../src/main/core/ingest/parsers/delimited';
import { parseJson } from '../../src/main/core/ingest/parsers/json';

const md = (text: string): ParsedDocument => parseMarkdown(text);

describe('classifyContent', () => {
  it('recognises source code by format, and code-heavy Markdown by its fences', () => {
    expect(classifyContent(parseCode('export const x = 1;\n', 'typescript'))).toBe('code');
    const snippets = [
      '# Snippets',
      '```py',
      ...Array.from({ length: 30 }, (_, i) => `value_${i} = compute(${i})`),
      '```',
    ];
    expect(classifyContent(md(snippets.join('\n')))).toBe('code');
    const pasted = Array.from({ length: 20 }, (_, i) => `  const item${i} = load(${i});`).join('\n');
    expect(classifyContent(parsePlain(`function main() {\n${pasted}\n}\n`))).toBe('code');
  });

  it('recognises tables, CSV and JSON as data', () => {
    expect(classifyContent(parseDelimited('a,b\n1,2\n', ','))).toBe('data');
    expect(classifyContent(parseJson('{"a": 1}'))).toBe('data');
    const table = ['| city | rain |', '| --- | --- |', ...Array.from({ length: 10 }, (_, i) => `| c${i} | ${i} |`)];
    expect(classifyContent(md(['Rainfall:', ...table].join('\n')))).toBe('data');
  });

  it('recognises transcripts by speaker labels and timestamps, or by subtitle cues', () => {
    const meeting = [
      '[00:00:05] Alice: Thanks for joining, let us start with the roadmap.',
      '[00:00:12] Bob: Sure. The importer is nearly done.',
      '[00:00:20] Alice: What about the relay?',
      '[00:00:31] Carol Smith: It needs one more review.',
      '[00:00:40] Bob: I can take that today.',
    ].join('\n');
    expect(classifyContent(parsePlain(meeting))).toBe('transcript');
    const srt = [
      '1',
      '00:00:01,000 --> 00:00:04,000',
      'Hello there.',
      '',
      '2',
      '00:00:05,000 --> 00:00:07,500',
      'Welcome back.',
    ];
    expect(classifyContent(parsePlain(srt.join('\n')))).toBe('transcript');
    expect(classifyContent(parsePlain('anything'), { fileName: 'call.vtt' })).toBe('transcript');
  });

  it('recognises tutorials by numbered steps and imperatives', () => {
    const tutorial = [
      '# Getting started with Trove',
      'This walks you through a first import.',
      '1. Install Trove from the releases page.',
      '2. Open the app and click **Add folder**.',
      '3. Select the folder with your notes.',
      '4. Run a search for a word you remember.',
      '```sh',
      'trove search "budget"',
      '```',
    ];
    expect(classifyContent(md(tutorial.join('\n\n')))).toBe('tutorial');
    const noTitle = [
      'Step 1: copy the config file.',
      'Step 2: edit the port.',
      'Step 3: restart the service.',
      'Done.',
    ];
    expect(classifyContent(parsePlain(noTitle.join('\n')))).toBe('tutorial');
  });

  it('recognises short bullet notes', () => {
    const notes = [
      'Standup 3 May',
      '- relay deployed',
      '- Bob out Friday',
      '- [ ] renew cert',
      '- ask about budget',
      '- lunch at 1',
    ];
    expect(classifyContent(md(notes.join('\n')))).toBe('notes');
  });

  it('recognises reference documentation by its headed prose', () => {
    const prose = 'The cache keeps recently used pages in memory so repeated reads are fast. '.repeat(8);
    const doc = ['# Storage', prose, '## Cache', prose, '## Eviction', prose].join('\n\n');
    expect(classifyContent(md(doc))).toBe('documentation');
  });

  it('falls back to other for unstructured prose', () => {
    const letter = 'Dear Sam, it was lovely to see you last week and hear about the garden. '.repeat(5);
    expect(classifyContent(parsePlain(letter))).toBe('other');
  });
});
