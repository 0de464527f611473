import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretAccounts } from '../../src/main/core/secrets/secret-store';
import { b, FakeNotionServer } from '../fakes/notion-server';
import { notionEvent, notionSignature, postNotion, postSignedNotion, verifyNotion } from '../relay/helpers';
import {
  eventually,
  footprintOf,
  processWebhookJobs,
  relayCursor,
  relayPending,
  storedEvents,
  titlesFor,
  WebhookWorld,
} from './harness';

const CONNECTOR = 'notion-e2e';

/**
 * Notion webhooks end to end, over real HTTP on 127.0.0.1: "Notion" (the
 * fake API plus signed posts in Notion's event shape) -> the relay server ->
 * the desktop core's relay poller -> process_webhook -> targeted sync ->
 * processing -> search. Each test leaves the world as the next one expects.
 */
describe('Notion webhooks through the relay to search', () => {
  const world = new WebhookWorld();
  let notion: FakeNotionServer;
  let webhookUrl: string;
  let signingToken: string;
  const pages: Record<string, string> = {};

  const addPage = (key: string, title: string, words: string): void => {
    pages[key] = notion.addPage({ title, blocks: [b.heading(2, title), b.paragraph(`${title} says ${words}.`)] }).id;
  };
  /** Edits a page in the fake Notion a minute later, as a person would. */
  const rewrite = (key: string, words: string): void => {
    notion.advance(60_000);
    notion.edit(pages[key]!, (page) => {
      page.blocks = [b.heading(2, page.title), b.paragraph(`${page.title} now says ${words}.`)];
    });
  };
  /** Posts a signed event as Notion would; returns the relay's sequence for it. */
  const postEvent = async (body: string): Promise<number> => {
    const response = await postSignedNotion(webhookUrl, signingToken, body);
    expect(response.status).toBe(200);
    return ((await response.json()) as { sequence: number }).sequence;
  };
  const edited = (key: string, id?: string): string => notionEvent({ pageId: pages[key], id });
  const documentOf = (key: string) =>
    world.core.repos.documents.getByExternalId(CONNECTOR, pages[key]!) ?? expect.unreachable(`no document ${key}`);
  /** Waits until the desktop has stored everything the relay numbered up to `sequence` and the queue is idle. */
  const caughtUpTo = async (sequence: number): Promise<void> => {
    await eventually(() => relayCursor(world.core, CONNECTOR) >= sequence, `relay cursor ${sequence}`);
    await world.core.idle();
  };

  beforeAll(async () => {
    notion = await new FakeNotionServer().start();
    addPage('roadmap', 'Roadmap', 'kwoldplanzq');
    addPage('meeting', 'Meeting notes', 'kwmeetingzq');
    addPage('doomed', 'Doomed page', 'kwdoomedzq');
    for (const n of [1, 2, 3, 4]) addPage(`later${n}`, `Later page ${n}`, `kwlater${n}beforezq`);
    await world.startRelay();
    const core = await world.startDesktop();
    await world.secrets.set(secretAccounts.connectorToken(CONNECTOR), notion.token);
    await core.connectors.add({
      id: CONNECTOR,
      type: 'notion',
      name: 'Team Notion',
      settings: { apiBaseUrl: notion.url },
    });
    await core.relay.ensureChannel(CONNECTOR);
    await core.idle();

    // Notion's one-time handshake, then the token the desktop shows for pasting into Notion.
    ({ webhookUrl } = await core.relay.webhookInfo(CONNECTOR));
    signingToken = await verifyNotion(webhookUrl);
    expect(await core.relay.webhookInfo(CONNECTOR)).toEqual({ webhookUrl, verificationToken: signingToken });
  }, 30_000);

  afterAll(async () => {
    await world.close();
    await notion?.stop();
  });

  it('indexes every page with the first sync', async () => {
    expect(await titlesFor(world.core, 'kwoldplanzq')).toEqual(['Roadmap']);
    expect(await titlesFor(world.core, 'kwdoomedzq')).toEqual(['Doomed page']);
  });

  it('a signed page edit reaches the search index and replaces the old text', async () => {
    rewrite('roadmap', 'kwnewplanzq');
    await postEvent(edited('roadmap'));

    await eventually(
      async () =>
        (await titlesFor(world.core, 'kwnewplanzq')).length > 0 &&
        (await titlesFor(world.core, 'kwoldplanzq')).length === 0,
      'the edit to be searchable',
    );
    expect(await titlesFor(world.core, 'kwnewplanzq')).toEqual(['Roadmap']);
    expect(storedEvents(world.core, CONNECTOR).map((e) => [e.type, e.state])).toEqual([
      ['page.content_updated', 'processed'],
    ]);
    // The run ends with its last document indexed, a moment after the text became searchable.
    await eventually(
      async () => world.core.repos.syncLogs.list({ connectorId: CONNECTOR, limit: 1 })[0]?.phase === 'done',
      'the webhook run to end',
    );
    const log = world.core.repos.syncLogs.list({ connectorId: CONNECTOR, limit: 1 })[0];
    expect(log).toMatchObject({ syncType: 'webhook', fullSync: false, documentsUpdated: 1, status: 'success' });
  });

  it('a page.deleted event removes the page, its chunks, keyword rows and vectors', async () => {
    const before = footprintOf(world.core, world.core.repos.chunks.chunkIdsForDocument(documentOf('doomed').id));
    expect(before.chunkIds.length).toBeGreaterThan(0);
    expect(before).toMatchObject({ ftsRows: before.chunkIds.length, vectors: before.chunkIds.length });

    notion.trash(pages.doomed!);
    await postEvent(notionEvent({ type: 'page.deleted', pageId: pages.doomed }));

    await eventually(() => documentOf('doomed').syncStatus === 'deleted', 'the page to be deleted');
    await world.core.idle();
    expect(await titlesFor(world.core, 'kwdoomedzq')).toEqual([]);
    expect(footprintOf(world.core, before.chunkIds)).toEqual({ chunkIds: [], ftsRows: 0, vectors: 0 });
    expect(storedEvents(world.core, CONNECTOR).at(-1)).toMatchObject({ type: 'page.deleted', state: 'processed' });
  });

  it('rejects a forged, missing or mismatched signature, and nothing reaches the index', async () => {
    const eventsBefore = storedEvents(world.core, CONNECTOR).length;
    rewrite('meeting', 'kwforgedzq');
    const forged = edited('meeting');
    expect((await postNotion(webhookUrl, forged, notionSignature('not-the-token', forged))).status).toBe(401);
    expect((await postNotion(webhookUrl, forged)).status).toBe(401);
    // Signed over another body: a captured signature does not carry over to altered content.
    expect((await postNotion(webhookUrl, forged, notionSignature(signingToken, edited('roadmap')))).status).toBe(401);

    // A genuine event posted afterwards is delivered after anything that got in before it.
    rewrite('roadmap', 'kwbarrierzq');
    await caughtUpTo(await postEvent(edited('roadmap')));
    expect(await titlesFor(world.core, 'kwbarrierzq')).toEqual(['Roadmap']);
    expect(await titlesFor(world.core, 'kwforgedzq')).toEqual([]);
    expect(await titlesFor(world.core, 'kwmeetingzq')).toEqual(['Meeting notes']);
    expect(storedEvents(world.core, CONNECTOR)).toHaveLength(eventsBefore + 1);
  });

  it('refuses oversized bodies, unknown channels and a wrong poll secret', async () => {
    const eventsBefore = storedEvents(world.core, CONNECTOR).length;
    const huge = JSON.stringify({ ...JSON.parse(edited('meeting')), padding: 'x'.repeat(300 * 1024) });
    expect((await postNotion(webhookUrl, huge, notionSignature(signingToken, huge))).status).toBe(413);
    const body = edited('meeting');
    const unknown = webhookUrl.replace(/\/hooks\/[^/]+\//, '/hooks/nosuchchannel0000/');
    expect((await postNotion(unknown, body, notionSignature(signingToken, body))).status).toBe(404);
    const channelId = /\/hooks\/([^/]+)\//.exec(webhookUrl)![1];
    const stranger = await fetch(`${world.relay.url}/channels/${channelId}/events?after=0&wait=0`, {
      headers: { authorization: 'Bearer not-the-poll-secret' },
    });
    expect(stranger.status).toBe(401);

    await caughtUpTo(await postEvent(edited('roadmap')));
    expect(storedEvents(world.core, CONNECTOR)).toHaveLength(eventsBefore + 1);
  });

  it('processes an event delivered twice, and one replayed later, exactly once', async () => {
    rewrite('meeting', 'kwtwicezq');
    const body = edited('meeting', 'evt-delivered-twice');
    // Notion retries before the desktop polled: the relay keeps one copy.
    await world.core.relay.stop();
    const first = await postEvent(body);
    const again = await postSignedNotion(webhookUrl, signingToken, body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, outcome: 'duplicate' });
    world.core.relay.start();
    await caughtUpTo(first);
    expect(await titlesFor(world.core, 'kwtwicezq')).toEqual(['Meeting notes']);

    // The same signed body replayed once the relay dropped the delivered copy: the relay takes it again, the desktop drops it.
    await eventually(async () => (await relayPending(world)) === 0, 'the relay to drop acknowledged events');
    await caughtUpTo(await postEvent(body));

    const rows = storedEvents(world.core, CONNECTOR).filter((e) => e.eventId === 'evt-delivered-twice');
    expect(rows).toEqual([expect.objectContaining({ state: 'processed' })]);
    const rowId = world.core.repos.webhookEvents
      .listByConnector(CONNECTOR)
      .find((e) => e.eventId === 'evt-delivered-twice')!.id;
    expect(processWebhookJobs(world.core, rowId)).toBe(1);
  });

  it('loses nothing when the relay restarts while events wait, and delivers them in order', async () => {
    await world.core.relay.stop();
    const ids = ['restart-1', 'restart-2', 'restart-3'];
    ids.forEach((id, i) => rewrite(`later${i + 1}`, `kwafterrestart${i + 1}zq`));
    let last = 0;
    for (const [i, id] of ids.entries()) last = await postEvent(edited(`later${i + 1}`, id));

    // The relay goes down with the events waiting; the desktop comes back meanwhile and backs off.
    await world.relay.close();
    world.core.relay.start();
    await eventually(
      () => world.core.relay.status().some((s) => s.connectorId === CONNECTOR && s.consecutiveFailures > 0),
      'a failed poll while the relay is down',
    );
    await world.restartRelay();
    expect(await relayPending(world)).toBeGreaterThanOrEqual(ids.length);

    await caughtUpTo(last);
    expect(
      storedEvents(world.core, CONNECTOR)
        .slice(-3)
        .map((e) => [e.eventId, e.state]),
    ).toEqual(ids.map((id) => [id, 'processed']));
    for (const n of [1, 2, 3]) expect(await titlesFor(world.core, `kwafterrestart${n}zq`)).toEqual([`Later page ${n}`]);
  });

  it('catches up in order after the desktop was offline', async () => {
    const cursorBefore = relayCursor(world.core, CONNECTOR);
    await world.stopDesktop();

    // While the desktop is closed: two edits, a deletion, then an edit of a page edited earlier.
    rewrite('later1', 'kwofflineonezq');
    rewrite('later2', 'kwofflinetwozq');
    notion.trash(pages.later3!);
    const bodies = [
      edited('later1', 'offline-1'),
      edited('later2', 'offline-2'),
      notionEvent({ type: 'page.deleted', pageId: pages.later3, id: 'offline-3' }),
      edited('later4', 'offline-4'),
    ];
    rewrite('later4', 'kwofflinefourzq');
    let last = 0;
    for (const body of bodies) last = await postEvent(body);
    expect(last).toBeGreaterThan(cursorBefore);

    await world.startDesktop();
    await caughtUpTo(last);
    const caughtUp = storedEvents(world.core, CONNECTOR).slice(-4);
    expect(caughtUp.map((e) => [e.eventId, e.state])).toEqual([
      ['offline-1', 'processed'],
      ['offline-2', 'processed'],
      ['offline-3', 'processed'],
      ['offline-4', 'processed'],
    ]);
    expect(caughtUp.map((e) => e.sequence)).toEqual([...caughtUp.map((e) => e.sequence)].sort((x, y) => x - y));
    expect(await titlesFor(world.core, 'kwofflineonezq')).toEqual(['Later page 1']);
    expect(await titlesFor(world.core, 'kwofflinetwozq')).toEqual(['Later page 2']);
    expect(await titlesFor(world.core, 'kwafterrestart3zq')).toEqual([]);
    expect(await titlesFor(world.core, 'kwofflinefourzq')).toEqual(['Later page 4']);
    expect(await titlesFor(world.core, 'kwlater4beforezq')).toEqual([]);
  });
});
