import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh access token: 32 random bytes, URL-safe. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so that neither the
 * length nor a common prefix of the token leaks through timing.
 */
export function tokensMatch(expected: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer …` (scripts and tests; the browser uses its session cookie). */
export function presentedToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return null;
}

/**
 * Browser sessions: the URL printed by `trove serve` carries the access
 * token once; the server trades it for a random session id in an HttpOnly,
 * SameSite=Strict cookie and redirects to the same page without the token.
 * Every tab and bookmark of that browser then works, page scripts never see
 * the secret, and the event stream needs nothing in its URL. Sessions live
 * as long as the server (a restart prints a new URL).
 */
export class BrowserSessions {
  private readonly ids = new Set<string>();

  /** `port` is read when needed: the server knows it once it listens. */
  constructor(private readonly port: () => number) {}

  /** Cookies are per host, not per port: the name carries the port so two servers never clobber each other. */
  get cookieName(): string {
    return `trove_session_${this.port()}`;
  }

  /** A new session and the Set-Cookie header that gives it to the browser. */
  create(): string {
    const id = randomBytes(32).toString('base64url');
    this.ids.add(id);
    // No `Secure`: the origin is plain http on loopback, which browsers treat as a secure context.
    return `${this.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether the request carries a live session cookie of this server. */
  has(req: IncomingMessage): boolean {
    const presented = readCookie(req.headers.cookie, this.cookieName);
    if (!presented) return false;
    for (const id of this.ids) if (tokensMatch(id, presented)) return true;
    return false;
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * DNS-rebinding guard: a page on evil.example that rebinds its name to
 * 127.0.0.1 still sends `Host: evil.example`. Only our own host:port names
 * are accepted, and a cross-origin `Origin` is refused.
 */
export function hostAllowed(req: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts.has(host)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return allowedHosts.has(new URL(origin).host.toLowerCase());
  } catch {
    return false;
  }
}

export function allowedHostNames(host: string, port: number): Set<string> {
  const names = new Set([`${host}:${port}`]);
  if (host === '127.0.0.1' || host === 'localhost') {
    names.add(`127.0.0.1:${port}`);
    names.add(`localhost:${port}`);
  }
  return names;
}
