import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../src/node-shared/http/request-target';

describe('parseRequestTarget', () => {
  it('accepts origin-form targets and decodes the path and query', () => {
    const parsed = parseRequestTarget('/api/list%20things?after=5&name=a%2Fb+c&flag');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.target.path).toBe('/api/list%20things');
    expect(parsed.target.decodedPath).toBe('/api/list things');
    expect(Object.fromEntries(parsed.target.query)).toEqual({ after: '5', name: 'a/b c', flag: '' });
    expect(parseRequestTarget('/').ok).toBe(true);
    expect(parseRequestTarget('/hooks/ch_abc/notion?').ok).toBe(true);
  });

  it.each([
    // The targets that used to throw from new URL() and end the relay.
    ['//[', 'bad_request_target'],
    ['//x:99999/', 'bad_request_target'],
    ['http://[', 'bad_request_target'],
    ['//[::1/hooks', 'bad_request_target'],
    // Other forms no client of ours sends.
    ['http://relay.example/healthz', 'bad_request_target'],
    ['*', 'bad_request_target'],
    ['', 'bad_request_target'],
    ['/a#fragment', 'bad_request_target'],
    ['/a\\b', 'bad_request_target'],
    ['/caf\u00e9', 'bad_request_target'],
    // Escapes that are not %XX, or decode to invalid UTF-8 or control characters.
    ['/%', 'bad_percent_escape'],
    ['/%zz', 'bad_percent_escape'],
    ['/%C0%80', 'bad_percent_escape'],
    ['/a%00b', 'bad_percent_escape'],
    ['/healthz?x=%', 'bad_percent_escape'],
    ['/healthz?%E0%A4=1', 'bad_percent_escape'],
    // Climbing, plain or encoded.
    ['/hooks/../channels', 'dot_segment'],
    ['/./healthz', 'dot_segment'],
    ['/assets/%2e%2e/secret', 'dot_segment'],
    ['/..%2fsecret', 'dot_segment'],
  ])('refuses %j (%s) without throwing', (target, code) => {
    const parsed = parseRequestTarget(target);
    expect(parsed).toMatchObject({ ok: false, refusal: { code } });
    // The message explains; it never echoes what was sent.
    if (!parsed.ok && target.length > 1) expect(parsed.refusal.message).not.toContain(target);
  });
});
