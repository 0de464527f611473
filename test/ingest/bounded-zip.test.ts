import { describe, expect, it } from 'vitest';
import { BoundedZip } from '../../src/main/core/ingest/bounded-zip';
import { DEFAULT_PARSE_LIMITS, type ZipLimits } from '../../src/main/core/ingest/limits';
import { ParseFailure } from '../../src/main/core/ingest';
import { makeSampleDocx } from '../fixtures/documents';
import { deflateRepeated, makeZipBombDocx } from '../fixtures/hostile-files';
import { buildZip } from '../fixtures/zip-writer';

const MB = 1024 * 1024;
const limits = (overrides: Partial<ZipLimits> = {}): ZipLimits => ({ ...DEFAULT_PARSE_LIMITS.zip, ...overrides });

function failureOf(action: () => unknown): ParseFailure {
  try {
    action();
  } catch (error) {
    if (error instanceof ParseFailure) return error;
    throw error;
  }
  throw new Error('expected a ParseFailure');
}

/** An entry of `size` bytes of repeated text, deflated (about 300 to 1). */
function repetitive(size: number): { bytes: Uint8Array; size: number; crc32: number } {
  return deflateRepeated('', '<w:t>same words again</w:t>', size, '');
}

describe('BoundedZip', () => {
  it('lists and reads the parts of a real Word document', async () => {
    const zip = BoundedZip.open(await makeSampleDocx(), 'Word document', limits());
    expect(zip.names()).toContain('word/document.xml');
    expect(zip.read('word/document.xml').toString('utf8')).toContain('Field Guide');
    expect(zip.totalRead).toBeGreaterThan(0);
  });

  it('refuses a part declared larger than the limit before inflating anything', () => {
    const zip = BoundedZip.open(makeZipBombDocx(), 'Word document', limits());
    const failure = failureOf(() => zip.read('word/document.xml'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toBe(
      'This Word document expands to 1.0 GB when unzipped (word/document.xml); Trove unzips at most 64.0 MB per part, so it was not read. It may be a decompression bomb.',
    );
    expect(zip.totalRead).toBe(0);
  });

  it('stops a part that inflates past its declared size (an archive that lies)', () => {
    const zip = BoundedZip.open(makeZipBombDocx(8 * MB, { declaredSize: 1000 }), 'Word document', limits());
    const failure = failureOf(() => zip.read('word/document.xml'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toMatch(
      /expands to more than its declared 1000 bytes when unzipped \(word\/document\.xml\)/,
    );
    expect(zip.totalRead).toBe(0);
  });

  it('refuses a part compressed far more than real documents, and reads it under a looser ratio', () => {
    const bytes = buildZip([{ name: 'word/document.xml', deflated: repetitive(2 * MB) }]);
    const strict = BoundedZip.open(bytes, 'Word document', limits({ maxRatio: 200 }));
    const failure = failureOf(() => strict.read('word/document.xml'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toMatch(
      /^This Word document expands to [\d.]+ MB when unzipped from [\d.]+ KB \(word\/document\.xml, \d+ to 1\)/,
    );
    const loose = BoundedZip.open(bytes, 'Word document', limits({ maxRatio: 5000 }));
    expect(loose.read('word/document.xml').length).toBeGreaterThanOrEqual(2 * MB);
  });

  it('never refuses a small part for its ratio', () => {
    const bytes = buildZip([{ name: 'styles.xml', deflated: repetitive(512 * 1024) }]);
    const zip = BoundedZip.open(bytes, 'Word document', limits({ maxRatio: 2 }));
    expect(zip.read('styles.xml').length).toBeGreaterThan(500 * 1024);
  });

  it('stops once the parts read together pass the archive total', () => {
    const part = 'x'.repeat(600 * 1024);
    const bytes = buildZip([
      { name: 'a.xml', data: part },
      { name: 'b.xml', data: part },
    ]);
    const zip = BoundedZip.open(bytes, 'Word document', limits({ maxTotalBytes: MB, maxRatio: 10_000 }));
    expect(zip.read('a.xml').length).toBe(part.length);
    const failure = failureOf(() => zip.read('b.xml'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toMatch(/expands to more than 1\.0 MB when unzipped/);
  });

  it('refuses an archive that lists more entries than the limit, from its directory', () => {
    const bytes = buildZip(Array.from({ length: 12 }, (_, i) => ({ name: `part${i}.xml`, data: `<p>${i}</p>` })));
    const failure = failureOf(() => BoundedZip.open(bytes, 'Word document', limits({ maxEntries: 10 })));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toBe(
      'This Word document lists 12 parts; Trove opens archives of up to 10 parts, so it was not read.',
    );
  });

  it('reads zip64 records (sizes and offsets in the extra field and the zip64 end record)', () => {
    const bytes = buildZip(
      [
        { name: 'a.xml', data: '<a>first</a>' },
        { name: 'b.xml', data: '<b>second</b>', store: true },
      ],
      { zip64: true },
    );
    const zip = BoundedZip.open(bytes, 'Word document', limits());
    expect(zip.read('b.xml').toString()).toBe('<b>second</b>');
    expect(zip.read('a.xml').toString()).toBe('<a>first</a>');
    const bomb = buildZip([{ name: 'c.xml', deflated: repetitive(2 * MB) }], { zip64: true });
    expect(
      failureOf(() => BoundedZip.open(bomb, 'Word document', limits({ maxEntryBytes: MB })).read('c.xml')).reason,
    ).toBe('exceeds_limits');
  });

  it('reports damaged and encrypted archives with the reason', () => {
    expect(
      failureOf(() => BoundedZip.open(new TextEncoder().encode('not a zip at all'), 'Word document', limits())),
    ).toMatchObject({
      reason: 'corrupt',
      message: 'The file could not be read as a Word document: it is not a zip archive.',
    });
    // The directory claims more data than the file holds.
    const cut = Buffer.from(buildZip([{ name: 'a.xml', data: 'x'.repeat(5000), store: true }]));
    cut.writeUInt32LE(1_000_000, cut.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 20);
    expect(failureOf(() => BoundedZip.open(cut, 'Word document', limits()).read('a.xml')).message).toBe(
      'The file could not be read as a Word document: a.xml is cut short.',
    );
    const locked = BoundedZip.open(
      buildZip([{ name: 'a.xml', data: 'secret', encrypted: true }]),
      'Word document',
      limits(),
    );
    expect(failureOf(() => locked.read('a.xml'))).toMatchObject({
      reason: 'unsupported_type',
      message: 'This Word document is encrypted (password-protected); remove the password to let Trove index it.',
    });
    expect(failureOf(() => locked.read('missing.xml')).message).toBe(
      'The file could not be read as a Word document: it has no part named missing.xml.',
    );
  });
});
