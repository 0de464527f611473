import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileUrl } from '../../src/main/core/connectors/fs/file-names';
import { createKnownLinks, type KnownLinks } from '../../src/main/core/services/known-links';
import { secretAccounts } from '../../src/main/core/secrets/secret-store';
import { b, FakeNotionServer } from '../fakes/notion-server';
import { startTestCore, type TestCore } from '../helpers/test-core';

describe('known links: what the desktop opens without asking', () => {
  let t: TestCore;
  let known: KnownLinks;
  let folder: string;

  beforeEach(async () => {
    t = await startTestCore({ model: false });
    known = createKnownLinks(t.core.db);
    folder = join(t.dataDir, 'notes');
    mkdirSync(folder);
    writeFileSync(join(folder, 'kept.md'), '# Kept\n\nA note that stays.');
    writeFileSync(join(folder, 'gone.md'), '# Gone\n\nA note that will be deleted.');
    await t.core.connectors.add({ type: 'local_folder', name: 'Notes', settings: { path: folder } });
    await t.core.idle();
  });
  afterEach(() => t.cleanup());

  it('knows the local files it indexed, and nothing else on disk', () => {
    expect(known.isIndexedPath(join(folder, 'kept.md'))).toBe(true);
    expect(known.isIndexedSource(fileUrl(join(folder, 'kept.md')))).toBe(true);
    expect(known.isIndexedPath(join(folder, 'missing.md'))).toBe(false);
    expect(known.isIndexedPath('/etc/passwd')).toBe(false);
    // A path that walks out of the folder is judged by where it points.
    expect(known.isIndexedPath(join(folder, '..', 'notes', 'kept.md'))).toBe(true);
    expect(known.isIndexedPath(join(folder, 'kept.md', '..', '..', 'trove.db'))).toBe(false);
  });

  it('forgets a file once a sync has seen it deleted', async () => {
    expect(known.isIndexedPath(join(folder, 'gone.md'))).toBe(true);
    rmSync(join(folder, 'gone.md'));
    const [connector] = t.core.repos.connectors.list();
    t.core.connectors.syncNow(connector!.id, 'incremental');
    await t.core.idle();
    expect(known.isIndexedPath(join(folder, 'gone.md'))).toBe(false);
    expect(known.isIndexedPath(join(folder, 'kept.md'))).toBe(true);
  });

  it("knows a web document's exact source URL, not its neighbours", async () => {
    const notion = await new FakeNotionServer().start();
    try {
      const page = notion.addPage({ title: 'Roadmap', blocks: [b.paragraph('Ship the hardened build.')] });
      await t.core.secrets.set(secretAccounts.connectorToken('wiki'), notion.token);
      await t.core.connectors.add({ id: 'wiki', type: 'notion', name: 'Wiki', settings: { apiBaseUrl: notion.url } });
      await t.core.idle();
      const sourceUrl = t.core.repos.documents.getByExternalId('wiki', page.id)?.sourceUrl;
      expect(sourceUrl).toMatch(/^https:\/\/www\.notion\.so\/Roadmap-/);
      expect(known.isIndexedSource(sourceUrl!)).toBe(true);
      expect(known.isIndexedSource(`${sourceUrl}?x=1`)).toBe(false);
      expect(known.isIndexedSource('https://example.com/')).toBe(false);
      expect(known.isIndexedSource('')).toBe(false);
    } finally {
      await notion.stop();
    }
  });

  it('treats only https pages of the providers as provider pages', () => {
    expect(known.isProviderPage('https://accounts.google.com/o/oauth2/v2/auth?client_id=x')).toBe(true);
    expect(known.isProviderPage('https://docs.google.com/document/d/abc/edit')).toBe(true);
    expect(known.isProviderPage('https://www.notion.so/profile/integrations')).toBe(true);
    expect(known.isProviderPage('http://accounts.google.com/')).toBe(false);
    expect(known.isProviderPage('https://accounts.google.com.evil.example/')).toBe(false);
    expect(known.isProviderPage('https://evil.example/?https://www.notion.so')).toBe(false);
    expect(known.isProviderPage('not a url')).toBe(false);
  });
});
