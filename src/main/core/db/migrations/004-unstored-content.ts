/**
 * Migration 4: documents that an interrupted sync of an older version left
 * recorded without their text (`content IS NULL` while pending or
 * processing). Their size, mtime and content hash said "up to date", so
 * every later sync skipped them and they stayed pending for good. Forgetting
 * the hash makes the next sync read them again; since this version a row's
 * hash is only ever written together with its text.
 */
export const migration004 = {
  version: 4,
  name: 'unstored-content',
  sql: /* sql */ `
UPDATE imported_documents SET content_hash = NULL
WHERE content IS NULL AND sync_status IN ('pending', 'processing');
`,
};
