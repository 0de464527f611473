import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTroveApp, type TroveApp } from '../../src/main/core/api/trove-app';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { contractClient, type ContractClient } from '../helpers/contract-client';

/**
 * A watched folder that a person moved (`~/Notes` to `~/Documents/Notes`):
 * given its new place in the folder's settings, it keeps what was indexed,
 * reads only what changed, and its results open the files where they are now.
 */
describe('a local folder that moved', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(): Promise<{ app: TroveApp; call: ContractClient; root: string }> {
    const root = await mkdtemp(path.join(tmpdir(), 'trove-moved-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const app = await createTroveApp({
      dataDir: path.join(root, 'data'),
      secrets: new MemorySecretStore(),
      logger: silentLogger,
      version: 'test',
      watch: false,
    });
    cleanups.push(() => app.close());
    return { app, call: contractClient(app), root };
  }

  it('keeps its documents, reads what changed, and opens the files where they are now', async () => {
    const { app, call, root } = await open();
    const before = path.join(root, 'Notes');
    const after = path.join(root, 'Documents', 'Notes');
    await mkdir(before);
    await writeFile(path.join(before, 'garden.md'), '# Garden\n\nStake the kwtomatozq plants in May.\n');
    await writeFile(path.join(before, 'budget.md'), '# Budget\n\nThe kwtomatozq seeds cost four pounds.\n');
    const { connector } = await call.addLocalFolder({ path: before, name: 'Notes' });
    await app.core.idle();
    const indexed = app.core.repos.documents.list({ connectorId: connector.id }).items;
    const processedAt = new Map(indexed.map((d) => [d.id, d.processedAt]));

    // Moved while Trove was looking elsewhere, and one note added in its new place.
    await mkdir(path.dirname(after));
    await rename(before, after);
    await writeFile(path.join(after, 'tools.md'), '# Tools\n\nA kwtomatozq cage and twine.\n');
    await call.syncConnector({ connectorId: connector.id });
    await app.core.idle();
    expect((await call.listConnectors({})).items[0]).toMatchObject({ status: 'error' });

    const { connector: moved } = await call.updateConnector({ connectorId: connector.id, settings: { path: after } });
    expect(moved).toMatchObject({ status: 'active', settings: expect.objectContaining({ path: after }) });
    await app.core.idle();

    const found = await call.search({ query: 'kwtomatozq', mode: 'keyword' });
    expect(found.groups.map((g) => g.document.title).sort()).toEqual(['Budget', 'Garden', 'Tools']);
    for (const group of found.groups) {
      expect(group.document.sourceUrl).toBe(
        pathToFileURL(path.join(after, path.basename(group.document.sourceUrl!))).href,
      );
    }
    // Reveal in folder and a retry use the path each document stores.
    const listed = await call.listDocuments({ connectorId: connector.id });
    expect(listed.items.map((d) => d.path).sort()).toEqual(
      ['budget.md', 'garden.md', 'tools.md'].map((name) => path.join(after, name)),
    );
    // What was indexed was not read again: same documents, processed once.
    const now = app.core.repos.documents.list({ connectorId: connector.id }).items;
    for (const [id, at] of processedAt) expect(now.find((d) => d.id === id)?.processedAt).toBe(at);
    expect((await call.listConnectors({})).items[0]).toMatchObject({ status: 'active' });
  });

  it('refuses a place that is missing or already connected, and changes nothing', async () => {
    const { call, root } = await open();
    const notes = path.join(root, 'Notes');
    const other = path.join(root, 'Other');
    await mkdir(notes);
    await mkdir(other);
    const { connector } = await call.addLocalFolder({ path: notes, name: 'Notes' });
    await call.addLocalFolder({ path: other, name: 'Other' });
    const missing = path.join(root, 'Nowhere');
    await expect(
      call.updateConnector({ connectorId: connector.id, settings: { path: missing } }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `The folder ${missing} does not exist or cannot be read.`,
    });
    await expect(call.updateConnector({ connectorId: connector.id, settings: { path: other } })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This folder is already connected as “Other”.',
    });
    const listed = (await call.listConnectors({})).items.find((c) => c.id === connector.id);
    expect(listed?.settings).toMatchObject({ path: notes });
  });
});
