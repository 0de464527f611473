import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { FakeModelHub } from '../fakes/model-hub-server';
import { b, FakeNotionServer } from '../fakes/notion-server';
import { notionEvent, postSignedNotion, startRelay, verifyNotion, type RunningRelay } from '../relay/helpers';
import { describeCrashPoints } from './crash-suite';
import { crashHit, indexViolations, newWorld, runApp, type CrashWorld, type ExpectedIndex } from './harness';
import { WEBHOOK_POINTS } from './scenarios';

const CONNECTOR = 'notion-crash';
const PAGES = 12;
const edited = (i: number): boolean => i % 3 === 0;
const trashed = (i: number): boolean => i % 5 === 1;

const word = (i: number, v: number): string => `kwpage${i}v${v}zq`;

interface Setup {
  world: CrashWorld;
  notion: FakeNotionServer;
  relay: RunningRelay;
  /** Relay sequence of the last event posted. */
  lastSequence: number;
  expected: ExpectedIndex;
  close(): Promise<void>;
}

/** An indexed workspace, then edits and deletions in Notion announced to the relay. */
async function setUp(name: string, hub: FakeModelHub): Promise<Setup> {
  const world = newWorld(name);
  const notion = await new FakeNotionServer().start();
  const relay = await startRelay({ dataFile: join(world.root, 'relay.sqlite'), longPollMs: 200 });
  const close = async (): Promise<void> => {
    await relay.close();
    await notion.stop();
    world.cleanup();
  };
  try {
    const ids = Array.from(
      { length: PAGES },
      (_, i) =>
        notion.addPage({
          title: `Page ${i}`,
          blocks: [b.heading(2, `Page ${i}`), b.paragraph(`Page ${i} holds ${word(i, 0)} and some prose.`)],
        }).id,
    );
    writeFileSync(world.secretsFile, JSON.stringify({ 'notion-token': notion.token }));
    const setup = await runApp(world, [
      `model=${hub.baseUrl}`,
      `relay=${relay.url}`,
      `add-notion=${CONNECTOR},${notion.url}`,
      'idle',
    ]);
    expect(setup.code, setup.stderr).toBe(0);
    const webhookUrl = /WEBHOOK (\S+)/.exec(setup.stdout)?.[1] ?? expect.unreachable('no webhook URL');
    const signingToken = await verifyNotion(webhookUrl);

    notion.advance(60_000);
    let lastSequence = 0;
    const post = async (body: string): Promise<void> => {
      const response = await postSignedNotion(webhookUrl, signingToken, body);
      expect(response.status).toBe(200);
      lastSequence = ((await response.json()) as { sequence: number }).sequence;
    };
    for (let i = 0; i < PAGES; i++) {
      if (trashed(i)) {
        notion.trash(ids[i]!);
        await post(notionEvent({ type: 'page.deleted', pageId: ids[i] }));
      } else if (edited(i)) {
        notion.edit(ids[i]!, (page) => {
          page.blocks = [b.heading(2, page.title), b.paragraph(`Page ${i} now holds ${word(i, 1)}.`)];
        });
        await post(notionEvent({ pageId: ids[i] }));
      }
    }
    const documents = new Map<string, string>();
    ids.forEach((id, i) => {
      if (!trashed(i)) documents.set(id, word(i, edited(i) ? 1 : 0));
    });
    return {
      world,
      notion,
      relay,
      lastSequence,
      close,
      expected: {
        documents,
        deleted: ids.filter((_, i) => trashed(i)),
        gone: ids.flatMap((_, i) => (edited(i) || trashed(i) ? [word(i, 0)] : [])),
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

const catchUp = (s: Setup): string[] => [`relay=${s.relay.url}`, `relay-cursor=${CONNECTOR},${s.lastSequence}`, 'idle'];

/**
 * A Notion workspace indexed through a desktop that polls a relay; then pages
 * are edited and trashed in Notion, which posts signed events to the relay.
 * The desktop run that fetches, stores and processes them is killed at each
 * crash point of that path; the next run must bring the index exactly in line
 * with Notion, with every event handled once.
 */
describeCrashPoints<Setup>({
  title: 'crash points of webhooks arriving through the relay',
  summary: 'Webhooks through the relay',
  points: WEBHOOK_POINTS,
  timeoutMs: 120_000,
  scene: (name, hub) => setUp(name, hub),
  close: (s) => s.close(),
  steps: (s) => catchUp(s),
  recovery: (s) => [...catchUp(s), 'sync', 'idle'],
  check: (s) => indexViolations(s.world.dataDir, s.expected),
  // Acknowledgements depend on timing (idle polls also acknowledge): die at the first.
  hitFor: (point, hits) => (point === 'relay.acknowledged' ? 1 : crashHit(hits)),
});
