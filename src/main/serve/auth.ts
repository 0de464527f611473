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

/** The token from `Authorization: Bearer …`, or from `?token=` (EventSource cannot set headers). */
export function presentedToken(req: IncomingMessage, query: URLSearchParams): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return query.get('token');
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
