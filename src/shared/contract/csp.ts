/**
 * The renderer's Content-Security-Policy, shared by the Electron shell (header
 * and meta tag) and browser mode (header). No inline scripts, no eval, no
 * remote anything: the UI only talks to its own origin.
 *
 * React sets inline styles through the CSSOM, which CSP does not block, so
 * style-src needs no 'unsafe-inline' in production.
 */
export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'connect-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  if (options.dev) {
    // Vite's dev server injects the React refresh preamble and CSS as inline
    // tags and talks to its HMR websocket. Never used in a build.
    directives['script-src']!.push("'unsafe-inline'");
    directives['style-src']!.push("'unsafe-inline'");
    directives['connect-src']!.push('ws://localhost:*', 'ws://127.0.0.1:*');
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
