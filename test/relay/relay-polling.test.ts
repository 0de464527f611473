import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createChannel,
  poll,
  portOf,
  postSignedNotion,
  startRelay,
  tempDir,
  verifyNotion,
  type RunningRelay,
} from './helpers';

describe('relay polling and storage', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: RunningRelay;
  let dataFile: string;

  beforeEach(async () => {
    tmp = tempDir('relay-poll-');
    dataFile = `${tmp.dir}/relay.sqlite`;
    relay = await startRelay({ dataFile, longPollMs: 400 });
  });
  afterEach(async () => {
    await relay.close();
    tmp.cleanup();
  });

  async function notionChannel(): Promise<{
    channelId: string;
    pollSecret: string;
    webhookUrl: string;
    token: string;
  }> {
    const channel = await createChannel(relay.url, 'notion');
    return { ...channel, token: await verifyNotion(channel.webhookUrl) };
  }

  it('answers a waiting long-poll as soon as an event arrives', async () => {
    await relay.close();
    relay = await startRelay({ dataFile, longPollMs: 5000 });
    const channel = await notionChannel();
    const started = Date.now();
    const pending = poll(relay.url, channel.channelId, channel.pollSecret, 'after=0');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await postSignedNotion(channel.webhookUrl, channel.token);
    const { events } = await pending;
    const elapsed = Date.now() - started;
    expect(events).toHaveLength(1);
    expect(elapsed).toBeLessThan(2000);
  });

  it('answers an empty list when the long-poll window passes', async () => {
    const channel = await notionChannel();
    const started = Date.now();
    const { status, events } = await poll(relay.url, channel.channelId, channel.pollSecret, 'after=0');
    const elapsed = Date.now() - started;
    expect(status).toBe(200);
    expect(events).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
  });

  it('serves events after the cursor in sequence order and drops acknowledged ones', async () => {
    const channel = await notionChannel();
    for (let i = 0; i < 5; i++) await postSignedNotion(channel.webhookUrl, channel.token);
    const page = await poll(relay.url, channel.channelId, channel.pollSecret, 'after=2&limit=2&wait=0');
    expect(page.events.map((e) => e.sequence)).toEqual([3, 4]);

    const ack = await fetch(`${relay.url}/channels/${channel.channelId}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.pollSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ upTo: 4 }),
    });
    expect(await ack.json()).toEqual({ dropped: 4 });
    const rest = await poll(relay.url, channel.channelId, channel.pollSecret, 'after=0&wait=0');
    expect(rest.events.map((e) => e.sequence)).toEqual([5]);
  });

  it('keeps waiting events and the sequence across a restart', async () => {
    const channel = await notionChannel();
    for (let i = 0; i < 3; i++) await postSignedNotion(channel.webhookUrl, channel.token);
    const port = portOf(relay.url);
    await relay.close();
    // Let fetch's pool see the closed keep-alive sockets; a POST on a dead socket is not retried by undici.
    await new Promise((resolve) => setTimeout(resolve, 50));

    relay = await startRelay({ dataFile, port });
    expect(relay.url).toBe(`http://127.0.0.1:${port}`);
    await postSignedNotion(channel.webhookUrl, channel.token);
    const { events } = await poll(relay.url, channel.channelId, channel.pollSecret);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
  });

  it('deletes events older than the retention period', async () => {
    await relay.close();
    let now = Date.now();
    relay = await startRelay({ dataFile, retentionMs: 60_000 }, () => now);
    const channel = await notionChannel();
    await postSignedNotion(channel.webhookUrl, channel.token);
    now += 30_000;
    await postSignedNotion(channel.webhookUrl, channel.token);
    now += 45_000; // the first is now 75 s old, the second 45 s
    expect(relay.relay.purgeExpired()).toBe(1);
    const { events } = await poll(relay.url, channel.channelId, channel.pollSecret);
    expect(events.map((e) => e.sequence)).toEqual([2]);
  });

  it('answers waiting long-polls with an empty list when shutting down, then stops', async () => {
    await relay.close();
    relay = await startRelay({ dataFile, longPollMs: 20_000 });
    const channel = await notionChannel();
    const started = Date.now();
    const pending = poll(relay.url, channel.channelId, channel.pollSecret, 'after=0');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await relay.close();
    const { status, events } = await pending;
    expect(status).toBe(200);
    expect(events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(fetch(`${relay.url}/healthz`)).rejects.toThrow();
  });
});
