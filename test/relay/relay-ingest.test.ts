import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createChannel,
  notionEvent,
  notionSignature,
  poll,
  postDrive,
  postNotion,
  postSignedNotion,
  startRelay,
  tempDir,
  verifyNotion,
  type RunningRelay,
} from './helpers';

describe('relay ingest', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: RunningRelay;

  beforeEach(async () => {
    tmp = tempDir('relay-ingest-');
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite` });
  });
  afterEach(async () => {
    await relay.close();
    tmp.cleanup();
  });

  it('keeps the Notion verification token for the desktop, then accepts only correctly signed events', async () => {
    const channel = await createChannel(relay.url, 'notion');
    expect(channel.webhookUrl).toBe(`${relay.url}/hooks/${channel.channelId}/notion`);

    // Before verification nothing can be checked, so events are refused.
    expect((await postNotion(channel.webhookUrl, notionEvent())).status).toBe(401);

    const token = await verifyNotion(channel.webhookUrl, 'secret_abc123');
    const shown = await fetch(`${relay.url}/channels/${channel.channelId}/notion-verification`, {
      headers: { authorization: `Bearer ${channel.pollSecret}` },
    });
    expect(await shown.json()).toMatchObject({ verificationToken: token });

    const good = notionEvent({ id: 'evt-good' });
    expect((await postNotion(channel.webhookUrl, good, notionSignature(token, good))).status).toBe(200);
    const bad = notionEvent({ id: 'evt-bad' });
    expect((await postNotion(channel.webhookUrl, bad, notionSignature('wrong-token', bad))).status).toBe(401);
    // A signature over a different body (tampered payload) is refused too.
    expect(
      (await postNotion(channel.webhookUrl, notionEvent({ id: 'evt-tampered' }), notionSignature(token, good))).status,
    ).toBe(401);
    const missing = await postNotion(channel.webhookUrl, notionEvent({ id: 'evt-unsigned' }));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'missing_signature' } });

    const { events } = await poll(relay.url, channel.channelId, channel.pollSecret);
    expect(events.map((e) => e.eventId)).toEqual(['evt-good']);
    expect(JSON.parse(events[0]!.body)).toMatchObject({ id: 'evt-good', type: 'page.content_updated' });
  });

  it('refuses a second verification request until the desktop resets the token', async () => {
    const channel = await createChannel(relay.url, 'notion');
    await verifyNotion(channel.webhookUrl, 'secret_first');
    const again = await postNotion(channel.webhookUrl, JSON.stringify({ verification_token: 'secret_attacker' }));
    expect(again.status).toBe(409);

    const reset = await fetch(`${relay.url}/channels/${channel.channelId}/notion-verification`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${channel.pollSecret}` },
    });
    expect(reset.status).toBe(204);
    await verifyNotion(channel.webhookUrl, 'secret_second');
    const body = notionEvent();
    expect((await postNotion(channel.webhookUrl, body, notionSignature('secret_first', body))).status).toBe(401);
    expect((await postNotion(channel.webhookUrl, body, notionSignature('secret_second', body))).status).toBe(200);
  });

  it('rejects a correctly signed body that is not JSON with 400', async () => {
    const channel = await createChannel(relay.url, 'notion');
    const token = await verifyNotion(channel.webhookUrl);
    const body = '{"id": "evt-1", broken';
    const response = await postNotion(channel.webhookUrl, body, notionSignature(token, body));
    expect(response.status).toBe(400);
    expect((await poll(relay.url, channel.channelId, channel.pollSecret)).events).toHaveLength(0);
  });

  it('stores a replayed Notion event once while it waits for the desktop', async () => {
    const channel = await createChannel(relay.url, 'notion');
    const token = await verifyNotion(channel.webhookUrl);
    const body = notionEvent({ id: 'evt-replayed' });
    expect((await postSignedNotion(channel.webhookUrl, token, body)).status).toBe(200);
    const replay = await postSignedNotion(channel.webhookUrl, token, body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: 'duplicate' });
    expect((await poll(relay.url, channel.channelId, channel.pollSecret)).events).toHaveLength(1);
  });

  it('checks the Drive channel token, treats sync as a handshake and records the notification headers', async () => {
    const channel = await createChannel(relay.url, 'drive');
    expect(channel.driveToken).toBeTruthy();
    const token = channel.driveToken!;

    expect((await postDrive(channel.webhookUrl, { state: 'change', messageNumber: 2 })).status).toBe(401);
    expect((await postDrive(channel.webhookUrl, { token: 'forged', state: 'change', messageNumber: 2 })).status).toBe(
      401,
    );

    const handshake = await postDrive(channel.webhookUrl, { token, state: 'sync', messageNumber: 1 });
    expect(handshake.status).toBe(200);
    expect(await handshake.json()).toMatchObject({ outcome: 'drive_handshake' });

    expect(
      (await postDrive(channel.webhookUrl, { token, state: 'change', messageNumber: 2, channelId: 'watch-9' })).status,
    ).toBe(200);
    expect((await postDrive(channel.webhookUrl, { token, state: 'change' })).status).toBe(400);

    const { events } = await poll(relay.url, channel.channelId, channel.pollSecret);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      sequence: 1,
      provider: 'drive',
      eventId: 'watch-9:2',
      headers: { 'x-goog-resource-state': 'change', 'x-goog-message-number': '2', 'x-goog-resource-id': 'res-1' },
    });
    expect(JSON.stringify(events[0]!.headers)).not.toContain(token);
  });

  it('refuses a body over the size limit with 413', async () => {
    await relay.close();
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, bodyLimitBytes: 1024 });
    const channel = await createChannel(relay.url, 'notion');
    const token = await verifyNotion(channel.webhookUrl);
    const big = JSON.stringify({ id: 'evt-big', type: 'page.content_updated', padding: 'x'.repeat(4096) });
    const response = await postNotion(channel.webhookUrl, big, notionSignature(token, big));
    expect(response.status).toBe(413);

    // Without a Content-Length (chunked upload) the limit is enforced while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(channel.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-notion-signature': notionSignature(token, big) },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(big.slice(i * 1100, (i + 1) * 1100));
      req.end(big.slice(4400));
    });
    expect(streamed).toBe(413);
    expect((await poll(relay.url, channel.channelId, channel.pollSecret)).events).toHaveLength(0);
  });

  it('answers 404 for unknown channels and 401 for a wrong poll secret', async () => {
    const channel = await createChannel(relay.url, 'notion');
    expect((await postNotion(`${relay.url}/hooks/ch_doesnotexist/notion`, notionEvent())).status).toBe(404);
    // A channel posted to under the wrong provider does not exist either.
    expect(
      (await postDrive(`${relay.url}/hooks/${channel.channelId}/drive`, { token: 'x', state: 'change' })).status,
    ).toBe(404);
    expect((await poll(relay.url, 'ch_doesnotexist', channel.pollSecret)).status).toBe(404);
    expect((await fetch(channel.webhookUrl)).status).toBe(405);
    expect((await poll(relay.url, channel.channelId, 'wrong-secret')).status).toBe(401);
    const noAuth = await fetch(`${relay.url}/channels/${channel.channelId}/events?wait=0`);
    expect(noAuth.status).toBe(401);
  });

  it('rate-limits each channel with a token bucket and says when to retry', async () => {
    await relay.close();
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, rateBurst: 3, ratePerSecond: 0.5 });
    const limited = await createChannel(relay.url, 'notion');
    const other = await createChannel(relay.url, 'notion');
    const token = await verifyNotion(limited.webhookUrl); // takes one token
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await postSignedNotion(limited.webhookUrl, token)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const refused = await postSignedNotion(limited.webhookUrl, token);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another channel has its own bucket.
    expect((await postNotion(other.webhookUrl, JSON.stringify({ verification_token: 't' }))).status).toBe(200);
  });

  it('checks signatures and tokens before spending a delivery token: forgeries spend only the failed-auth budget', async () => {
    await relay.close();
    // No refill, so every count below is exact.
    relay = await startRelay({
      dataFile: `${tmp.dir}/relay.sqlite`,
      rateBurst: 3,
      ratePerSecond: 0,
      failedAuthBurst: 2,
      failedAuthPerSecond: 0,
    });
    const notion = await createChannel(relay.url, 'notion');
    const token = await verifyNotion(notion.webhookUrl); // accepted: one delivery token
    const forged: Array<[number, string]> = [];
    for (let i = 0; i < 5; i++) {
      const body = notionEvent({ id: `forged-${i}` });
      const response = await postNotion(notion.webhookUrl, body, notionSignature('guessed-token', body));
      forged.push([response.status, ((await response.json()) as { error: { code: string } }).error.code]);
    }
    expect(forged).toEqual([
      [401, 'bad_signature'],
      [401, 'bad_signature'],
      [429, 'auth_rate_limited'],
      [429, 'auth_rate_limited'],
      [429, 'auth_rate_limited'],
    ]);
    // The genuine sender still has its two remaining delivery tokens, and only those.
    const genuine: number[] = [];
    for (let i = 0; i < 3; i++) genuine.push((await postSignedNotion(notion.webhookUrl, token)).status);
    expect(genuine).toEqual([200, 200, 429]);

    const drive = await createChannel(relay.url, 'drive');
    const wrongToken: number[] = [];
    for (let i = 0; i < 4; i++)
      wrongToken.push(
        (await postDrive(drive.webhookUrl, { token: 'guess', state: 'change', messageNumber: i })).status,
      );
    expect(wrongToken).toEqual([401, 401, 429, 429]);
    const real: number[] = [];
    for (let i = 1; i <= 3; i++)
      real.push(
        (await postDrive(drive.webhookUrl, { token: drive.driveToken!, state: 'change', messageNumber: i })).status,
      );
    expect(real).toEqual([200, 200, 200]);
  });

  it('does not let malformed channel creations spend the creation budget', async () => {
    await relay.close();
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, channelCreateBurst: 2, channelCreatePerMinute: 0 });
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${relay.url}/channels`, { method: 'POST', body: '{"provider":"dropbox"}' });
      expect(response.status).toBe(400);
    }
    await createChannel(relay.url, 'notion');
    await createChannel(relay.url, 'drive');
    await expect(createChannel(relay.url, 'notion')).rejects.toThrow('429');
  });

  it('logs rejections as structured lines without the body or secrets', async () => {
    const channel = await createChannel(relay.url, 'notion');
    const token = await verifyNotion(channel.webhookUrl, 'secret_never_logged');
    const body = notionEvent({ id: 'evt-log' }).replace('ws-1', 'SENSITIVE-DOCUMENT-TEXT');
    await postNotion(channel.webhookUrl, body, 'sha256=deadbeef');
    await poll(relay.url, channel.channelId, 'a-wrong-poll-secret');
    await postSignedNotion(channel.webhookUrl, token);

    const lines = relay.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', status: 401, code: 'bad_signature', route: 'hook' }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', status: 401, code: 'bad_poll_secret' }));
    const all = relay.logLines.join('\n');
    expect(all).not.toContain('SENSITIVE-DOCUMENT-TEXT');
    expect(all).not.toContain('secret_never_logged');
    expect(all).not.toContain('a-wrong-poll-secret');
    expect(all).not.toContain(channel.pollSecret);
  });

  it('requires the admin token for channel creation when one is configured, and rotates and deletes channels', async () => {
    await relay.close();
    relay = await startRelay({ dataFile: `${tmp.dir}/relay.sqlite`, adminToken: 'admin-1' });
    await expect(createChannel(relay.url, 'notion')).rejects.toThrow('401');
    const channel = await createChannel(relay.url, 'notion', 'admin-1');

    const rotated = await fetch(`${relay.url}/channels/${channel.channelId}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.pollSecret}` },
    });
    const { pollSecret } = (await rotated.json()) as { pollSecret: string };
    expect((await poll(relay.url, channel.channelId, channel.pollSecret)).status).toBe(401);
    expect((await poll(relay.url, channel.channelId, pollSecret)).status).toBe(200);

    const deleted = await fetch(`${relay.url}/channels/${channel.channelId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${pollSecret}` },
    });
    expect(deleted.status).toBe(204);
    expect((await poll(relay.url, channel.channelId, pollSecret)).status).toBe(404);
    expect((await postNotion(channel.webhookUrl, notionEvent())).status).toBe(404);
  });

  it('reports health', async () => {
    const response = await fetch(`${relay.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', pendingEvents: 0 });
  });
});
