import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { failureStatus, parseContent, ParseFailure, type ParseFailureReason } from '../../src/main/core/ingest';
import { malformedXml, shortParserReason, withArticle } from '../../src/main/core/ingest/parse-failure';
import { makeBinary, makeCorruptPdf, makeEmpty, makeGarbagePdf, makePdf, makeScannedPdf } from '../fixtures/documents';

const file = (bytes: Uint8Array, fileName: string): DocumentContent => ({
  kind: 'bytes',
  bytes,
  fileName,
  mimeType: 'application/octet-stream',
});

async function failureOf(content: DocumentContent, maxBytes?: number): Promise<ParseFailure> {
  try {
    await parseContent(content, { maxBytes });
  } catch (error) {
    if (error instanceof ParseFailure) return error;
    throw error;
  }
  throw new Error('expected the parse to fail');
}

describe('parse failures', () => {
  it('reports a PDF cut short before any page as corrupt, an error, saying it ends early', async () => {
    const failure = await failureOf(file(await makeCorruptPdf(), 'cut.pdf'));
    expect(failure.reason).toBe('corrupt');
    expect(failureStatus(failure.reason)).toBe('error');
    expect(failure.message).toBe(
      'This PDF ends early, as an interrupted download or copy does, and no page could be read from what it holds. Download or copy it again to index it.',
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure.details).toEqual({ reason: 'corrupt' });
  });

  it('reports garbage after a PDF header as corrupt, with the parser reason', async () => {
    const failure = await failureOf(file(makeGarbagePdf(), 'junk.pdf'));
    expect(failure.reason).toBe('corrupt');
    expect(failure.message).toBe('The file could not be read as a PDF: Invalid PDF structure.');
  });

  it('hands a PDF without a text layer to OCR instead of failing it', async () => {
    const parsed = await parseContent(file(await makeScannedPdf(), 'scan.pdf'));
    expect(parsed.text).toBe('\n\n');
    expect(parsed.pages).toEqual([
      { page: 1, start: 0 },
      { page: 2, start: 2 },
    ]);
    expect(parsed.ocr).toMatchObject({ source: 'pdf', pages: [1, 2] });
    expect(parsed.ocr!.sourceKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips a PDF with neither text nor images as empty', async () => {
    const failure = await failureOf(file(await makePdf(['', '']), 'blank.pdf'));
    expect(failure.reason).toBe('empty');
    expect(failureStatus(failure.reason)).toBe('skipped');
  });

  it('skips binary data, whatever its name', async () => {
    for (const name of ['data.bin.unknown', 'notes.txt', 'no-extension']) {
      const failure = await failureOf(file(makeBinary(), name));
      expect({ name, reason: failure.reason }).toEqual({ name, reason: 'binary' });
    }
    expect(failureStatus('binary')).toBe('skipped');
  });

  it('skips empty files and files with only whitespace', async () => {
    expect((await failureOf(file(makeEmpty(), 'empty.md'))).reason).toBe('empty');
    expect((await failureOf(file(new TextEncoder().encode(' \n\t\n'), 'blank.txt'))).reason).toBe('empty');
    expect((await failureOf({ kind: 'text', text: '', mimeType: 'text/plain' })).reason).toBe('empty');
    expect(failureStatus('empty')).toBe('skipped');
  });

  it('skips minified scripts and style sheets, and reads code with long lines that people write', async () => {
    const bundle = `!function(e){${'var a=e.map(function(t){return t*2}),b=a.filter(Boolean);'.repeat(120)}}(window);\n`;
    const failure = await failureOf(file(new TextEncoder().encode(bundle), 'clipboard.min.js'));
    expect(failure.reason).toBe('generated');
    expect(failure.message).toMatch(/^This file is minified code \(lines of [\d,]+ characters on average\)/);
    expect(failureStatus('generated')).toBe('skipped');
    const css = `.a{color:red}${'.b>.c{margin:0 auto;padding:1px 2px}'.repeat(200)}`;
    expect((await failureOf(file(new TextEncoder().encode(css), 'theme.min.css'))).reason).toBe('generated');

    // The same long lines in a data format or a short snippet are someone's text.
    const records = `${JSON.stringify({ note: 'Rinse the rice until the water runs clear. '.repeat(8) })}\n`.repeat(40);
    expect((await parseContent(file(new TextEncoder().encode(records), 'notes.jsonl'))).format).toBe('code');
    const bookmarklet = `javascript:(function(){${'document.body.style.zoom=1.1;'.repeat(20)}})()`;
    expect((await parseContent(file(new TextEncoder().encode(bookmarklet), 'zoom.js'))).format).toBe('code');
    const script = Array.from({ length: 200 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`).join('\n');
    expect((await parseContent(file(new TextEncoder().encode(script), 'steps.js'))).format).toBe('code');
  });

  it('skips package managers’ lock files by their exact names, and reads files that merely look alike', async () => {
    const lock = JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: { 'node_modules/zod': { version: '4.1.0' } },
    });
    const npm = await failureOf(file(new TextEncoder().encode(lock), 'package-lock.json'));
    expect(npm.reason).toBe('generated');
    expect(npm.message).toBe(
      "This is npm's lock file: the exact versions it installed, written by npm rather than for reading, so Trove does not index it.",
    );
    for (const name of ['Cargo.lock', 'yarn.lock', 'poetry.lock', 'go.sum', 'Gemfile.lock', 'pnpm-lock.yaml']) {
      const failure = await failureOf(file(new TextEncoder().encode('# generated\nname = "serde"\n'), name));
      expect({ name, reason: failure.reason }).toEqual({ name, reason: 'generated' });
    }
    // A manifest people write, and a note about locks, are read.
    const manifest = new TextEncoder().encode('{ "name": "app", "dependencies": { "zod": "^4.1.0" } }');
    expect((await parseContent(file(manifest, 'package.json'))).format).toBe('code');
    const notes = new TextEncoder().encode('# Locks\n\nWhy we pin versions.\n');
    expect((await parseContent(file(notes, 'package-lock-notes.md'))).format).toBe('markdown');
  });

  it('skips files over the size limit and names both sizes', async () => {
    const big = new TextEncoder().encode('x'.repeat(3 * 1024 * 1024));
    const failure = await failureOf(file(big, 'huge.txt'), 2 * 1024 * 1024);
    expect(failure.reason).toBe('too_large');
    expect(failure.message).toBe('This file is 3.0 MB; Trove reads files up to 2.0 MB.');
    expect(failureStatus('too_large')).toBe('skipped');
  });

  it('skips known formats Trove cannot read and names them', async () => {
    const failure = await failureOf(file(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2]), 'slides.ppt'));
    expect(failure.reason).toBe('unsupported_type');
    expect(failure.message).toBe('Trove cannot read .ppt files yet.');
    expect((await failureOf({ kind: 'text', text: 'x', mimeType: 'image/heic' })).reason).toBe('unsupported_type');
    // An Outlook message or an e-book in a format Trove does not read is named, not called binary data.
    for (const name of ['saved.msg', 'novel.mobi', 'scan.djvu']) {
      const binary = await failureOf(file(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), name));
      expect(binary.message).toBe(`Trove cannot read .${name.split('.')[1]} files yet.`);
    }
  });

  it('reports a damaged Word document as corrupt', async () => {
    const failure = await failureOf(file(new TextEncoder().encode('PK\u0003\u0004 not really a zip'), 'broken.docx'));
    expect(failure.reason).toBe('corrupt');
    expect(failure.message).toMatch(/^The file could not be read as a Word document: /);
  });

  it('words the reasons of parsers inside other libraries for people, without the bytes they choked on', () => {
    const reason = (message: string) => shortParserReason(new Error(message));
    // saxes inside exceljs gives the line and column; xmldom inside mammoth names itself.
    expect(reason('1:230: unexpected close tag.')).toBe('its XML is malformed (unexpected close tag)');
    expect(reason('warning: [xmldom warning]\tunclosed xml attribute\n@#[line:1,col:9]')).toBe(
      'its XML is malformed (unclosed xml attribute)',
    );
    expect(reason('error: [xmldom error]\telement parse error: Error: invalid tagName:w:p>')).toBe(
      'its XML is malformed (invalid tagName)',
    );
    // What the parser found is kept when it is a tag's name, dropped when it is damaged bytes.
    expect(reason('2:17: unclosed tag: cp:coreProperties')).toBe(
      'its XML is malformed (unclosed tag: cp:coreProperties)',
    );
    expect(reason('1:88: unmatched closing tag: 9rI\u0001lsA9-F2-\u00ffC:x:y')).toBe(
      'its XML is malformed (unmatched closing tag)',
    );
    expect(malformedXml('version number must match /^1\\.[0-9]+$/', 'meta.xml')).toBe(
      'its meta.xml is malformed XML (version number is not valid)',
    );
    // A library's own fault on input it did not expect says nothing to a person.
    expect(shortParserReason(new TypeError("Cannot read properties of null (reading 'children')"))).toBe(
      'its contents are damaged in a way the reader could not follow',
    );
    // Other parsers' reasons are kept, their quotes of the input cut.
    expect(reason('Invalid PDF structure.')).toBe('Invalid PDF structure.');
    expect(reason('Unexpected token "secret" in JSON')).toBe('Unexpected token … in JSON');
  });

  it('puts the article a reader says before a type', () => {
    expect(
      ['Word document', 'PDF', 'Excel workbook', 'EPUB e-book', 'RTF document', 'e-mail message'].map(withArticle),
    ).toEqual([
      'a Word document',
      'a PDF',
      'an Excel workbook',
      'an EPUB e-book',
      'an RTF document',
      'an e-mail message',
    ]);
    expect(withArticle('OpenDocument text')).toBe('an OpenDocument text');
    expect(withArticle('PowerPoint presentation')).toBe('a PowerPoint presentation');
  });

  it('maps every reason to skipped or error', () => {
    const statuses: Record<ParseFailureReason, 'skipped' | 'error'> = {
      unsupported_type: 'skipped',
      binary: 'skipped',
      empty: 'skipped',
      generated: 'skipped',
      no_text_layer: 'skipped',
      too_large: 'skipped',
      exceeds_limits: 'skipped',
      corrupt: 'error',
      timeout: 'error',
      out_of_memory: 'error',
    };
    for (const [reason, status] of Object.entries(statuses)) {
      expect(failureStatus(reason as ParseFailureReason)).toBe(status);
    }
  });
});
