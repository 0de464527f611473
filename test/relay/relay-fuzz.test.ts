import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedChannel } from '../../src/shared/relay-protocol';
import {
  runCases,
  runFuzz,
  sendCase,
  serialise,
  tally,
  URL_CRASH_TARGETS,
  violations,
  type FuzzCase,
  type FuzzProfile,
} from '../helpers/http-fuzz';
import {
  createChannel,
  notionEvent,
  notionSignature,
  poll,
  postDrive,
  postSignedNotion,
  spawnRelay,
  tempDir,
  verifyNotion,
  waitFor,
  type RelayProcess,
} from './helpers';

/**
 * Thousands of malformed requests over raw TCP against the real relay in a
 * child process (so a crash is an exit we can see). Reproduce a failure
 * with RELAY_FUZZ_SEED=<seed printed in the summary>; RELAY_FUZZ_REQUESTS
 * changes the count.
 */
const SEED = Number(process.env.RELAY_FUZZ_SEED ?? 20261202);
const REQUESTS = Number(process.env.RELAY_FUZZ_REQUESTS ?? 3000);
const MAX_CONNECTIONS = 100;
const FORGED_BODY_MARKER = 'SENSITIVE-FUZZ-BODY';

describe('relay under a storm of malformed requests', () => {
  let tmp: ReturnType<typeof tempDir>;
  let relay: RelayProcess;
  let port: number;
  let notion: CreatedChannel;
  let drive: CreatedChannel;
  let notionToken: string;

  beforeAll(async () => {
    tmp = tempDir('relay-fuzz-');
    relay = await spawnRelay(['--port', '0', '--data', `${tmp.dir}/relay.sqlite`], {
      env: {
        // Short timeouts so slow clients are cut off within the test, yet long enough that a
        // well-formed request on this loaded machine never runs into them.
        RELAY_HEADERS_TIMEOUT_SECONDS: '3',
        RELAY_REQUEST_TIMEOUT_SECONDS: '5',
        RELAY_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        RELAY_LOG_LEVEL: 'info',
      },
    });
    port = Number(new URL(relay.origin).port);
    notion = await createChannel(relay.origin, 'notion');
    drive = await createChannel(relay.origin, 'drive');
    notionToken = await verifyNotion(notion.webhookUrl, 'secret_fuzz_verification_token');
  });

  afterAll(() => {
    relay?.kill();
    tmp?.cleanup();
  });

  const alive = (): boolean => relay.child.exitCode === null && relay.child.signalCode === null;

  it(`answers every complete request with a 4xx or better and never crashes (seed ${SEED})`, async () => {
    const hookPath = (c: CreatedChannel): string => new URL(c.webhookUrl).pathname;
    const forgedBody = JSON.stringify({ id: 'evt-forged', note: FORGED_BODY_MARKER });
    const profile: FuzzProfile = {
      host: `127.0.0.1:${port}`,
      bases: [
        { method: 'GET', target: '/healthz', headers: [], allowed: [200] },
        {
          method: 'POST',
          target: '/channels',
          headers: [['Content-Type', 'application/json']],
          body: '{"provider":',
          allowed: [400],
        },
        {
          method: 'POST',
          target: hookPath(notion),
          headers: [['X-Notion-Signature', 'sha256=' + '0'.repeat(64)]],
          body: forgedBody,
          allowed: [401, 429],
        },
        {
          method: 'POST',
          target: hookPath(drive),
          headers: [
            ['X-Goog-Channel-Token', 'forged'],
            ['X-Goog-Resource-State', 'change'],
          ],
          allowed: [401, 429],
        },
        {
          method: 'GET',
          target: `/channels/${notion.channelId}/events?after=0&wait=0`,
          headers: [['Authorization', 'Bearer wrong-poll-secret']],
          allowed: [401],
        },
        {
          method: 'POST',
          target: `/channels/${notion.channelId}/ack`,
          headers: [['Authorization', 'Bearer wrong']],
          body: '{"upTo":1}',
          allowed: [401],
        },
        { method: 'DELETE', target: `/channels/${drive.channelId}`, headers: [], allowed: [401] },
        { method: 'GET', target: '/no/such/thing', headers: [], allowed: [404] },
      ],
      badTargets: [
        ...URL_CRASH_TARGETS,
        '*',
        'http://relay.invalid/healthz',
        '/%',
        '/%zz',
        '/healthz?x=%E0%A4',
        '/hooks/../channels',
        '/hooks/%2e%2e/channels',
        '/a\\b',
        '/%00',
      ],
    };
    const run = await runFuzz(port, profile, { seed: SEED, count: REQUESTS, concurrency: 24 });
    const { outcomes } = run;
    const crashes = alive() ? 0 : 1;
    console.log(
      `relay fuzz: seed ${SEED}, ${outcomes.length} requests in ${run.seconds} s, ${crashes} crashes; ` +
        `by class ${JSON.stringify(run.byClass)}; by status ${JSON.stringify(run.byStatus)}; ` +
        `by mutation ${JSON.stringify(run.byKind)}`,
    );

    expect(crashes).toBe(0);
    expect(violations(outcomes)).toEqual([]);
    // The four targets that used to end the process: each answered 400 every time it was sent.
    for (const target of URL_CRASH_TARGETS) {
      const sent = outcomes.filter(
        (o) => o.fuzzCase.kind === 'bad_target' && requestLine(o.fuzzCase).includes(` ${target} `),
      );
      expect(sent.length).toBe(profile.bases.length);
      expect(sent.map((o) => o.status)).toEqual(sent.map(() => 400));
    }
    expect((await fetch(`${relay.origin}/healthz`)).status).toBe(200);
  });

  it('cuts off clients that dribble their headers or body with 408', async () => {
    const dribble = (bytes: string): Promise<number | null> =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => socket.destroy());
        let received = '';
        let i = 0;
        const timer = setInterval(() => {
          if (i < bytes.length && !socket.destroyed) socket.write(bytes[i++]!);
        }, 300);
        socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
        socket.on('close', () => {
          clearInterval(timer);
          const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
          resolve(match ? Number(match[1]) : null);
        });
      });
    const headers = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: ${'a'.repeat(50)}\r\n\r\n`;
    const body = `POST /channels HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 500\r\n\r\n{"provider":"notion"`;
    // The body case sends its headers at once, then stalls.
    const stalledBody = new Promise<number | null>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(body));
      socket.on('error', () => socket.destroy());
      let received = '';
      socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0) || null));
    });
    expect(await Promise.all([dribble(headers), stalledBody])).toEqual([408, 408]);
    expect(alive()).toBe(true);
  });

  it('drops connections past the limit, logs it once, and serves again afterwards', async () => {
    const sockets: Socket[] = [];
    let closedByServer = 0;
    await Promise.all(
      Array.from(
        { length: MAX_CONNECTIONS + 40 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve());
            socket.on('close', () => closedByServer++);
            socket.on('error', () => resolve());
            sockets.push(socket);
          }),
      ),
    );
    await waitFor(() => closedByServer >= 40, 10_000, 'the connections past the limit to be closed');
    for (const socket of sockets) socket.destroy();
    await waitFor(() => relay.logs().includes('"msg":"connections dropped"'), 15_000, 'the drop log line');
    await waitFor(
      async () => (await fetch(`${relay.origin}/healthz`).catch(() => null))?.status === 200,
      10_000,
      'healthz',
    );
    expect(alive()).toBe(true);
  });

  it('still accepts the genuine sender after 160 forged posts: forgeries spend only the failed-auth budget', async () => {
    const forged = Array.from({ length: 160 }, (_, i): FuzzCase => {
      const body = notionEvent({ id: `evt-forged-${i}` }).replace('ws-1', FORGED_BODY_MARKER);
      const bytes = serialise(`127.0.0.1:${port}`, {
        method: 'POST',
        target: new URL(notion.webhookUrl).pathname,
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Notion-Signature', notionSignature('not-the-token', body)],
        ],
        body,
      });
      return { kind: 'forged', chunks: [bytes], halfClose: false, allowed: [401, 429] };
    });
    const outcomes = await runCases(port, forged, { concurrency: 8, timeoutMs: 15_000 });
    const { byStatus } = tally(outcomes);
    console.log(`relay fuzz: 160 forged Notion posts answered ${JSON.stringify(byStatus)}`);
    expect(violations(outcomes)).toEqual([]);
    // The real Notion and Drive deliveries still go through and reach the desktop...
    const genuine = await postSignedNotion(notion.webhookUrl, notionToken, notionEvent({ id: 'evt-genuine' }));
    expect(genuine.status).toBe(200);
    const { sequence } = (await genuine.json()) as { sequence: number };
    expect(sequence).toBeGreaterThan(0);
    const driveResponse = await postDrive(drive.webhookUrl, {
      token: drive.driveToken!,
      state: 'change',
      messageNumber: 7,
    });
    expect(driveResponse.status).toBe(200);
    const delivered = await poll(relay.origin, notion.channelId, notion.pollSecret);
    expect(delivered.events.map((e) => e.eventId)).toEqual(['evt-genuine']);
    // ...while past the failed-auth burst (20) forgeries are turned away with 429.
    expect(byStatus['429'] ?? 0).toBeGreaterThan(100);
    expect(alive()).toBe(true);
  });

  // Reads the log of everything above: the storm, the slow clients, the dropped connections and the forgeries.
  it('kept its log to one JSON line per refusal, with no internal errors, bodies or secrets', () => {
    const text = relay.logs();
    const lines = text.trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { level: string; msg: string; code?: string });
    expect(parsed.filter((l) => l.level === 'error')).toEqual([]);
    const codes = new Set(parsed.map((l) => l.code));
    for (const code of [
      'bad_request_target',
      'bad_signature',
      'auth_rate_limited',
      'headers_too_large',
      'request_timeout',
    ]) {
      expect(codes).toContain(code);
    }
    for (const secret of [FORGED_BODY_MARKER, notionToken, notion.pollSecret, drive.pollSecret, drive.driveToken!]) {
      expect(text).not.toContain(secret);
    }
  });

  it('a sanity check of the harness: a well-formed request sent raw is answered 200', async () => {
    const bytes = serialise(`127.0.0.1:${port}`, { method: 'GET', target: '/healthz', headers: [] });
    expect((await sendCase(port, { kind: 'valid', chunks: [bytes], halfClose: false }, 5000)).status).toBe(200);
  });
});

function requestLine(fuzzCase: FuzzCase): string {
  const text = Buffer.concat(fuzzCase.chunks).toString('latin1');
  return text.slice(0, text.indexOf('\r\n'));
}
