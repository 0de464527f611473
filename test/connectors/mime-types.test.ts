import { describe, expect, it } from 'vitest';
import { mimeTypeForPath, UNKNOWN_MIME_TYPE } from '../../src/main/core/connectors/fs/mime';
import { detectType, readableFileNames } from '../../src/main/core/ingest/file-types';

/**
 * The type a local file is stored with is what `type:` filters by and what
 * browser mode serves its original as: a format Trove reads but names no
 * type for could be found by no `type:`, and its original was downloaded
 * instead of shown.
 */
describe('the MIME type of a local file', () => {
  const { extensions, names } = readableFileNames();

  it('is named for every extension and file name Trove reads', () => {
    expect(extensions.length).toBeGreaterThan(80);
    expect(extensions.filter((ext) => mimeTypeForPath(`/docs/file.${ext}`) === UNKNOWN_MIME_TYPE)).toEqual([]);
    expect(names.filter((name) => mimeTypeForPath(`/src/${name}`) === UNKNOWN_MIME_TYPE)).toEqual([]);
  });

  it('is found whatever the case of the name, and not for names Trove does not read', () => {
    expect(mimeTypeForPath('/photos/IMG_0042.JPG')).toBe('image/jpeg');
    expect(mimeTypeForPath('/src/MAKEFILE')).toBe('text/x-makefile');
    // A build file's whole name says more than its extension.
    expect(mimeTypeForPath('/src/CMakeLists.txt')).toBe('text/x-cmake');
    expect(mimeTypeForPath('/src/notes.txt')).toBe('text/plain');
    expect(mimeTypeForPath('/docs/README')).toBe(UNKNOWN_MIME_TYPE);
    expect(mimeTypeForPath('/docs/constructor')).toBe(UNKNOWN_MIME_TYPE);
    expect(mimeTypeForPath('/docs/file.constructor')).toBe(UNKNOWN_MIME_TYPE);
  });

  it('leads the parser to the format the extension names', () => {
    for (const ext of extensions) {
      const fileName = `file.${ext}`;
      const bytes = new TextEncoder().encode('plain words\n');
      const byName = detectType({ kind: 'bytes', bytes, fileName, mimeType: UNKNOWN_MIME_TYPE });
      const typed = detectType({ kind: 'bytes', bytes, fileName, mimeType: mimeTypeForPath(fileName) });
      expect(typed, fileName).toEqual(byName);
    }
  });
});
