/**
 * Checks the request target of an HTTP/1.1 request (`req.url`) before any
 * route sees it. `new URL(req.url, base)` is not a parser for this: it
 * throws on `//[` (and an uncaught throw in a request handler ends the
 * process), and it reads `//evil.example/x` as a host name, so two layers can
 * disagree about which path was asked for. Our servers only ever hand out
 * origin-form targets (`/path?query`), so anything else is refused with 400.
 */

/** A target that passed every check. */
export interface RequestTarget {
  /** The path exactly as sent, still percent-encoded, e.g. `/api/search`. */
  path: string;
  /** The path percent-decoded (valid UTF-8, no control characters, no `.`/`..` segments). */
  decodedPath: string;
  /** The query, decoded. Every %-escape in it was well-formed. */
  query: URLSearchParams;
}

/** Why a target was refused: a stable code (safe to log) and a message for the client. */
export interface TargetRefusal {
  code: 'bad_request_target' | 'bad_percent_escape' | 'dot_segment';
  message: string;
}

export type TargetCheck = { ok: true; target: RequestTarget } | { ok: false; refusal: TargetRefusal };

/** Printable ASCII only: llhttp lets some bytes through that no client of ours sends (e.g. `#`, `\`, bytes above 0x7f). */
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Parses `req.url`. Refuses (never throws):
 * - anything not starting with exactly one `/` (absolute-form `http://…`, `*`, `//host/…`);
 * - characters outside printable ASCII, `#` and `\`;
 * - a `%` not followed by two hex digits, or escapes that decode to invalid UTF-8
 *   or (in the path) to control characters;
 * - `.` or `..` path segments, plain or encoded (`%2e%2e`).
 */
export function parseRequestTarget(raw: string | undefined): TargetCheck {
  const text = raw ?? '';
  if (!text.startsWith('/') || text.startsWith('//')) {
    return refuse('bad_request_target', 'The request target must be a path that starts with a single "/".');
  }
  if (!PRINTABLE_ASCII.test(text) || text.includes('#') || text.includes('\\')) {
    return refuse('bad_request_target', 'The request target contains a character that must be percent-encoded.');
  }
  const queryStart = text.indexOf('?');
  const path = queryStart === -1 ? text : text.slice(0, queryStart);
  const queryText = queryStart === -1 ? '' : text.slice(queryStart + 1);

  const decodedPath = decodeStrictly(path);
  if (decodedPath === null || CONTROL_CHARS.test(decodedPath)) {
    return refuse('bad_percent_escape', 'The request path has a malformed %-escape (use %XX encoding valid UTF-8).');
  }
  if (decodedPath.split(/[\\/]/).some((segment) => segment === '.' || segment === '..')) {
    return refuse('dot_segment', 'The request path must not contain "." or ".." segments.');
  }
  // URLSearchParams never throws: it keeps a bad escape as literal text. Check first, so `?x=%` is refused, not guessed at.
  for (const pair of queryText.split('&')) {
    for (const side of pair.split('=')) {
      if (decodeStrictly(side.replaceAll('+', ' ')) === null) {
        return refuse('bad_percent_escape', 'The query has a malformed %-escape (use %XX encoding valid UTF-8).');
      }
    }
  }
  return { ok: true, target: { path, decodedPath, query: new URLSearchParams(queryText) } };
}

function decodeStrictly(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function refuse(code: TargetRefusal['code'], message: string): TargetCheck {
  return { ok: false, refusal: { code, message } };
}
