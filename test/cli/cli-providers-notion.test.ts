import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/main/cli/status.command';
import type { SearchResponse } from '../../src/main/core/search/types';
import { KeytarSecretStore } from '../../src/main/core/secrets/keytar-secret-store';
import { secretAccounts } from '../../src/main/core/secrets/secret-store';
import { b, FakeNotionServer } from '../fakes/notion-server';
import { dataFolderText, runTrove, runTroveJson, type ConnectorRow, type TroveRun } from './run-trove';

/**
 * `trove add-notion`, `sync`, `search`, `status` and `connectors` as real
 * processes against the fake Notion API, with the OS keychain (a private
 * gnome-keyring session: run through scripts/with-keyring.sh).
 */
describe.runIf(process.env.TROVE_IN_KEYRING_SESSION === '1')('trove CLI with Notion', () => {
  let dataDir: string;
  const keychain = new KeytarSecretStore();

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-notion-'));
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('Notion', () => {
    let notion: FakeNotionServer;
    let added: TroveRun;
    let synced: TroveRun;
    let rejected: TroveRun;
    let connectors: ConnectorRow[];
    let lunch: SearchResponse;
    let buddy: SearchResponse;
    let status: StatusReport;

    beforeAll(async () => {
      notion = await new FakeNotionServer().start();
      const pageId = notion.addPage({
        title: 'Onboarding',
        blocks: [b.heading(2, 'First week'), b.paragraph('Meet your kwbuddyzq on day one.')],
      }).id;
      notion.addPage({ title: 'Recipes', blocks: [b.paragraph('Lentil soup with cumin.')] });
      added = await runTrove(dataDir, ['add-notion', '--name', 'Team Notion', '--api-base-url', notion.url], {
        TROVE_NOTION_TOKEN: notion.token,
      });
      notion.advance(120_000);
      notion.edit(pageId, (page) => page.blocks.push(b.paragraph('Then lunch with kwlunchzq.')));
      synced = await runTrove(dataDir, ['sync', 'Team Notion']);
      // Read-only commands (and one that must fail before writing anything) run side by side.
      [connectors, lunch, buddy, status, rejected] = await Promise.all([
        runTroveJson<ConnectorRow[]>(dataDir, ['connectors', '--json']),
        runTroveJson<SearchResponse>(dataDir, ['search', 'kwlunchzq', '--json']),
        runTroveJson<SearchResponse>(dataDir, ['search', 'kwbuddyzq', '--json']),
        runTroveJson<StatusReport>(dataDir, ['status', '--json']),
        runTrove(dataDir, ['add-notion', '--api-base-url', notion.url], { TROVE_NOTION_TOKEN: 'ntn_wrong_token' }),
      ]);
    }, 60_000);

    afterAll(async () => {
      await notion?.stop();
    });

    it('add-notion tests the token, keeps it in the keychain and runs the first sync', async () => {
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/Connected Notion as Trove \(test\)/);
      expect(connectors).toHaveLength(1);
      const [connector] = connectors;
      expect(connector).toMatchObject({ type: 'notion', name: 'Team Notion', status: 'active' });
      expect(connector!.documentCounts.completed).toBe(2);
      expect(await keychain.get(secretAccounts.connectorToken(connector!.id))).toBe(notion.token);
      expect(dataFolderText(dataDir)).not.toContain(notion.token);
    });

    it('sync picks up the edit, and search finds it', () => {
      expect(synced.code, synced.stderr).toBe(0);
      // The edited page is indexed again; the library holds both.
      expect(synced.stdout).toMatch(/Done: 1 indexed, 0 skipped, 0 failed/);
      expect(synced.stdout).toMatch(/Library: 2 indexed, 0 skipped, 0 failed/);
      expect(lunch.groups.map((g) => g.document.title)).toEqual(['Onboarding']);
      expect(lunch.groups[0]!.document.connectorType).toBe('notion');
      expect(buddy.groups[0]!.chunks[0]!.headingPath).toEqual(['Onboarding', 'First week']);
      expect(status).toMatchObject({ connectors: 1, documents: { completed: 2, skipped: 0, error: 0 } });
      expect(status.chunks).toBeGreaterThanOrEqual(2);
      expect(status.queue.failed).toBe(0);
    });

    it('add-notion refuses a token Notion rejects, without echoing it', () => {
      expect(rejected.code).toBe(1);
      expect(rejected.stderr).toMatch(/^trove: .*token/im);
      expect(rejected.stderr).not.toContain('ntn_wrong_token');
      const db = new Database(join(dataDir, 'trove.db'), { readonly: true });
      try {
        expect(db.prepare('SELECT COUNT(*) AS n FROM connector_configs').get()).toEqual({ n: 1 });
      } finally {
        db.close();
      }
    });
  });
});
