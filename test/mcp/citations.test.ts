import { describe, expect, it } from 'vitest';
import { citationId, documentUri, parseDocumentUri, parseReference } from '../../src/main/mcp/citations';

describe('MCP citations and document URIs', () => {
  it('round-trips a passage citation, even for ids with # or /', () => {
    for (const id of ['3f2a9c1e-aaaa-bbbb-cccc-123456789abc', 'doc#1', 'a/b c']) {
      expect(parseReference(citationId(id, 7))).toEqual({ documentId: id, chunkIndex: 7 });
      expect(parseReference(documentUri(id))).toEqual({ documentId: id, chunkIndex: null });
    }
  });

  it('takes a bare id or a citation without a passage as the whole document', () => {
    expect(parseReference('abc')).toEqual({ documentId: 'abc', chunkIndex: null });
    expect(parseReference('trove:abc')).toEqual({ documentId: 'abc', chunkIndex: null });
  });

  it('turns paths and other URIs into ids to look up, never into paths', () => {
    expect(parseReference('/etc/passwd')).toEqual({ documentId: '/etc/passwd', chunkIndex: null });
    expect(parseReference('file:///etc/passwd')).toEqual({ documentId: 'file:///etc/passwd', chunkIndex: null });
    expect(parseDocumentUri('file:///etc/passwd')).toBeNull();
    expect(parseDocumentUri('trove://document/')).toBeNull();
    expect(parseDocumentUri('trove://document/%E0%A4%A')).toBeNull();
    // Encoded ../ stays one opaque id: "../../etc/passwd" is not a document.
    expect(parseDocumentUri('trove://document/..%2F..%2Fetc%2Fpasswd')).toBe('../../etc/passwd');
  });
});
