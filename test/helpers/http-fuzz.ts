import { connect } from 'node:net';
import { seededRandom } from '../../src/main/core/seeded-random';

/**
 * A small, seeded HTTP/1.1 fuzzer that talks raw TCP (node:net), so it can
 * send what fetch and node:http refuse to: broken request lines, malformed
 * headers, lying Content-Lengths, broken chunking, truncated requests and
 * plain garbage. The same seed gives the same requests, so a failure
 * reproduces.
 */

/** One well-formed request the mutations start from. */
export interface BaseRequest {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: string;
  /** Statuses this request may get when sent unmutated. */
  allowed: number[];
  /** Carried over to every case made from this request, for assertions about a group (e.g. "no token"). */
  tag?: string;
}

/** What the server must make of the fuzzer's requests. */
export interface FuzzProfile {
  host: string;
  bases: BaseRequest[];
  /** Targets that must each be answered 400 (sent with every base's method and headers). */
  badTargets: string[];
}

export interface FuzzCase {
  /** Which mutation produced it, for the summary. */
  kind: string;
  /** Written in order; more than one means the request arrives in pieces. */
  chunks: Buffer[];
  /**
   * Closes our side after writing. Used for requests that are cut short or
   * are garbage: the end of input makes the server decide now (usually 400)
   * instead of waiting for its timeout. A complete request is never
   * half-closed, because Node drops the answer to a half-closed request.
   */
  halfClose: boolean;
  /** When set, the answer must be one of these; otherwise any status below 500 will do. */
  allowed?: number[];
  /** The base request's tag, when the case was made from one. */
  tag?: string;
}

export interface FuzzOutcome {
  fuzzCase: FuzzCase;
  /** Status of the first answer, or null if the connection closed (or timed out) without one. */
  status: number | null;
  /** Its Content-Type header, if any. */
  contentType: string | null;
}

/** The request targets that used to end the relay (`new URL` threw outside its try) and gave 500 in browser mode. */
export const URL_CRASH_TARGETS = ['//[', '//x:99999/', 'http://[', '//[::1/hooks'];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE'];
const BAD_METHODS = ['FOO', 'get', 'G\0T', '', 'GET GET', 'P\u00d6ST', 'X'.repeat(40)];
const VERSIONS = ['HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1x', 'HTTP/1', 'http/1.1', '', 'HTTP/1.1 extra'];
/** Characters that break URLs: brackets, stray escapes, separators, controls, bytes above 0x7f. */
const HOSTILE_CHARS = ['[', ']', '%', '%%', '%0', '%zz', '%C0%80', '/', '//', '.', '..', '\\', ':', '@', '?', '#'];
const HOSTILE_BYTES = ['\0', '\x7f', '\xff', '\t', '"', '<', '{', '|', '^', '`'];

/** Deterministic case generator over a profile. */
export function fuzzCases(profile: FuzzProfile, seed: number, count: number): FuzzCase[] {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number): boolean => random() < p;
  const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));

  const mutateTarget = (target: string): string => {
    let text = target;
    const edits = 1 + int(3);
    for (let i = 0; i < edits; i++) {
      const at = int(text.length + 1);
      const roll = int(6);
      if (roll === 0) text = text.slice(0, at) + pick(HOSTILE_CHARS) + text.slice(at);
      else if (roll === 1) text = text.slice(0, at) + pick(HOSTILE_BYTES) + text.slice(at);
      else if (roll === 2) text = text.slice(0, at) + text.slice(at + 1 + int(4));
      else if (roll === 3) text = '/' + text;
      else if (roll === 4) text = text + pick(['/..', '/./', '%2e%2e/', '?%', '?a=%G1', '&&==', '?x=%ED%A0%80']);
      else text = text.slice(0, at) + '%' + int(256).toString(16) + text.slice(at);
    }
    return text;
  };

  const cases: FuzzCase[] = [];
  const add = (
    kind: string,
    bytes: Buffer,
    options: { halfClose?: boolean; allowed?: number[]; tag?: string } = {},
  ): void => {
    let chunks = [bytes];
    // One request in ten arrives in pieces, to exercise the parser across reads.
    if (chance(0.1) && bytes.length > 2) {
      const cut = 1 + int(bytes.length - 1);
      chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
    }
    cases.push({ kind, chunks, halfClose: options.halfClose ?? false, allowed: options.allowed, tag: options.tag });
  };

  // Every bad target, once with each base: these must all be 400.
  for (const target of profile.badTargets) {
    for (const base of profile.bases) {
      add('bad_target', serialise(profile.host, { ...base, target }), { allowed: [400], tag: base.tag });
    }
  }

  while (cases.length < count) {
    const base = pick(profile.bases);
    const roll = int(100);
    if (roll < 10) {
      add('valid', serialise(profile.host, base), { allowed: base.allowed, tag: base.tag });
    } else if (roll < 28) {
      add('target', serialise(profile.host, { ...base, target: mutateTarget(base.target) }), { tag: base.tag });
    } else if (roll < 34) {
      add('method', serialise(profile.host, { ...base, method: pick([...METHODS, ...BAD_METHODS]) }), {
        tag: base.tag,
      });
    } else if (roll < 38) {
      add('version', serialise(profile.host, base, { version: pick(VERSIONS) }), { tag: base.tag });
    } else if (roll < 52) {
      const { bytes, allowed } = headerMutation(profile.host, base, pick, int, randomBytes);
      add('header', bytes, { allowed, tag: base.tag });
    } else if (roll < 62) {
      const body = pick([
        () => randomBytes(int(2048)).toString('latin1'),
        () => '{"id":',
        () => '{"verification_token": 12}',
        () => JSON.stringify({ id: 'evt', padding: 'x'.repeat(int(5000)) }),
        () => '\xff\xfe{"a":1}',
        () => '[]',
        () => 'null',
      ])();
      add('body', serialise(profile.host, { ...base, method: 'POST', body }), { tag: base.tag });
    } else if (roll < 76) {
      const { bytes, halfClose } = framingMutation(profile.host, base, pick, int, randomBytes);
      add('framing', bytes, { halfClose, tag: base.tag });
    } else if (roll < 88) {
      const full = serialise(profile.host, base);
      add('truncated', full.subarray(0, int(full.length)), { halfClose: true, tag: base.tag });
    } else {
      add('raw_bytes', randomBytes(1 + int(1500)), { halfClose: true });
    }
  }
  return cases;
}

/** Writes a request; framing headers are computed unless the caller wrote its own. */
export function serialise(
  host: string,
  request: Omit<BaseRequest, 'allowed'>,
  options: { version?: string; headerLines?: string[]; framing?: boolean } = {},
): Buffer {
  const body = Buffer.from(request.body ?? '', 'latin1');
  const lines = [`${request.method} ${request.target} ${options.version ?? 'HTTP/1.1'}`, `Host: ${host}`];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (options.framing !== false && (body.length > 0 || request.method === 'POST'))
    lines.push(`Content-Length: ${body.length}`);
  lines.push(...(options.headerLines ?? []));
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

function headerMutation(
  host: string,
  base: BaseRequest,
  pick: <T>(items: readonly T[]) => T,
  int: (n: number) => number,
  randomBytes: (n: number) => Buffer,
): { bytes: Buffer; allowed?: number[] } {
  const kind = int(11);
  if (kind === 0) {
    // Over Node's 16 KiB header limit: must be 431.
    const value = 'a'.repeat(17_000 + int(20_000));
    return { bytes: serialise(host, base, { headerLines: [`X-Big: ${value}`] }), allowed: [431] };
  }
  if (kind === 1) {
    const lines = Array.from({ length: 1200 + int(800) }, (_, i) => `X-H${i}: ${'v'.repeat(10)}`);
    return { bytes: serialise(host, base, { headerLines: lines }), allowed: [431] };
  }
  if (kind === 2) {
    const lines = Array.from({ length: 200 + int(300) }, (_, i) => `X-Dup: ${i}`);
    return { bytes: serialise(host, base, { headerLines: lines }) };
  }
  const line = pick([
    'NoColonHere',
    'Space Before : colon',
    'Bad\u0001Name: x',
    'X-Nul: a\0b',
    'X-Cr: a\rb',
    ': empty-name',
    'X-Fold: a\r\n folded',
    `X-Bytes: ${randomBytes(64).toString('latin1')}`,
    'Host: second.example',
    'Content-Type: application/json; charset=\xff',
    'Authorization: Bearer ' + 'x'.repeat(int(4000)),
    'X-Notion-Signature: sha256=' + 'z'.repeat(int(200)),
    'X-Goog-Channel-Token: ' + randomBytes(20).toString('hex'),
    'Expect: 100-continue',
    'Upgrade: websocket\r\nConnection: Upgrade',
  ]);
  if (kind === 3) {
    // Bare LF line endings throughout.
    return {
      bytes: Buffer.from(
        serialise(host, base, { headerLines: [line] })
          .toString('latin1')
          .replaceAll('\r\n', '\n'),
        'latin1',
      ),
    };
  }
  if (kind === 4) {
    // No Host at all.
    const text = serialise(host, base).toString('latin1').replace(`Host: ${host}\r\n`, '');
    return { bytes: Buffer.from(text, 'latin1') };
  }
  return { bytes: serialise(host, base, { headerLines: [line] }) };
}

function framingMutation(
  host: string,
  base: BaseRequest,
  pick: <T>(items: readonly T[]) => T,
  int: (n: number) => number,
  randomBytes: (n: number) => Buffer,
): { bytes: Buffer; halfClose: boolean } {
  const post = { ...base, method: 'POST', body: '' };
  const head = (lines: string[]): Buffer => serialise(host, post, { framing: false, headerLines: lines });
  const body = '{"id":"evt-1","type":"page.created"}';
  const variants: Array<() => { bytes: Buffer; halfClose: boolean }> = [
    () => ({
      bytes: Buffer.concat([
        head([`Content-Length: ${pick(['abc', '-1', '1e3', ' 5', '0x10', '99999999999999999999'])}`]),
        Buffer.from(body),
      ]),
      halfClose: false,
    }),
    () => ({
      bytes: Buffer.concat([head(['Content-Length: 5', 'Content-Length: 7']), Buffer.from(body)]),
      halfClose: false,
    }),
    () => ({
      bytes: Buffer.concat([head(['Content-Length: 4', 'Transfer-Encoding: chunked']), Buffer.from('0\r\n\r\n')]),
      halfClose: false,
    }),
    () => ({
      bytes: Buffer.concat([
        head([`Transfer-Encoding: ${pick(['gzip', 'chunked, gzip', 'identity', 'chunked\0', 'ch unked'])}`]),
        Buffer.from('5\r\nabcde\r\n0\r\n\r\n'),
      ]),
      halfClose: false,
    }),
    // Chunk sizes that are not hex, are absurd, or lie about the data.
    () => ({
      bytes: Buffer.concat([
        head(['Transfer-Encoding: chunked']),
        Buffer.from(`${pick(['zz', '-1', 'ffffffffffffffffff', '5 5', '0x5', ''])}\r\nabcde\r\n0\r\n\r\n`),
      ]),
      halfClose: false,
    }),
    () => ({
      bytes: Buffer.concat([head(['Transfer-Encoding: chunked']), Buffer.from('3\r\nabcdefgh\r\n0\r\n\r\n')]),
      halfClose: false,
    }),
    () => ({
      bytes: Buffer.concat([
        head(['Transfer-Encoding: chunked']),
        Buffer.from(`5;${'e'.repeat(20_000)}\r\nabcde\r\n0\r\n\r\n`),
      ]),
      halfClose: false,
    }),
    () => ({
      bytes: Buffer.concat([
        head(['Transfer-Encoding: chunked']),
        Buffer.from('5\r\nabcde\r\n0\r\nBad Trailer\r\n\r\n'),
      ]),
      halfClose: false,
    }),
    // Chunked body that stops early, and a body shorter than its Content-Length: the end of input decides.
    () => ({
      bytes: Buffer.concat([
        head(['Transfer-Encoding: chunked']),
        Buffer.from(`a\r\n${randomBytes(4).toString('latin1')}`),
      ]),
      halfClose: true,
    }),
    () => ({
      bytes: Buffer.concat([head([`Content-Length: ${body.length + 1 + int(1000)}`]), Buffer.from(body)]),
      halfClose: true,
    }),
    // A body longer than its Content-Length: the rest is read as a second (garbage) request.
    () => ({ bytes: Buffer.concat([head(['Content-Length: 3']), Buffer.from(body)]), halfClose: false }),
  ];
  return pick(variants)();
}

/**
 * Sends one case on its own connection and reads the first status line.
 * Resolves when the server closes the connection, once a complete answer
 * header arrived, or after `timeoutMs`.
 */
export function sendCase(port: number, fuzzCase: FuzzCase, timeoutMs: number): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3}) /.exec(received);
      const headEnd = received.indexOf('\r\n\r\n');
      const head = headEnd === -1 ? received : received.slice(0, headEnd);
      const contentType = /\r\ncontent-type: *([^\r]*)/i.exec(head)?.[1] ?? null;
      resolve({ fuzzCase, status: match ? Number(match[1]) : null, contentType });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', async () => {
      for (const [i, chunk] of fuzzCase.chunks.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 2));
        if (socket.destroyed) return;
        socket.write(chunk);
      }
      if (fuzzCase.halfClose && !socket.destroyed) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // Skip interim answers (100 Continue); one final status line is all we need.
      received = received.replace(/^HTTP\/1\.1 1\d\d [^\r]*\r\n(?:[^\r]+\r\n)*\r\n/, '');
      if (/^HTTP\/1\.[01] \d{3} /.test(received) && received.includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/** Runs every case with `concurrency` connections open at a time. */
export async function runCases(
  port: number,
  cases: FuzzCase[],
  options: { concurrency: number; timeoutMs: number },
): Promise<FuzzOutcome[]> {
  const outcomes: FuzzOutcome[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const index = next++;
      outcomes[index] = await sendCase(port, cases[index]!, options.timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

/** Failures of the contract: a 5xx, a status outside the allowed list, or no answer to a complete request. */
export function violations(outcomes: FuzzOutcome[]): string[] {
  const found: string[] = [];
  outcomes.forEach(({ fuzzCase, status }, index) => {
    const label = `#${index} ${fuzzCase.kind}: ${JSON.stringify(Buffer.concat(fuzzCase.chunks).toString('latin1').slice(0, 120))}`;
    if (status === null) {
      if (!fuzzCase.halfClose) found.push(`${label} got no answer`);
      return;
    }
    if (status >= 500) found.push(`${label} got ${status}`);
    else if (fuzzCase.allowed && !fuzzCase.allowed.includes(status))
      found.push(`${label} got ${status}, expected ${fuzzCase.allowed.join('/')}`);
  });
  return found;
}

/** Counts by status class (`2xx`, `4xx`, …, `none`) and by exact status. */
export function tally(outcomes: FuzzOutcome[]): { byClass: Record<string, number>; byStatus: Record<string, number> } {
  const byClass: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  for (const { status } of outcomes) {
    const cls = status === null ? 'none' : `${Math.floor(status / 100)}xx`;
    byClass[cls] = (byClass[cls] ?? 0) + 1;
    const key = status === null ? 'none' : String(status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  return { byClass, byStatus };
}

export interface FuzzRun {
  outcomes: FuzzOutcome[];
  seconds: number;
  byClass: Record<string, number>;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
}

/** Generates `count` cases from `profile` with `seed`, sends them all and counts the answers. */
export async function runFuzz(
  port: number,
  profile: FuzzProfile,
  options: { seed: number; count: number; concurrency: number },
): Promise<FuzzRun> {
  const cases = fuzzCases(profile, options.seed, options.count);
  const started = performance.now();
  const outcomes = await runCases(port, cases, { concurrency: options.concurrency, timeoutMs: 15_000 });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const byKind: Record<string, number> = {};
  for (const c of cases) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  return { outcomes, seconds, ...tally(outcomes), byKind };
}
