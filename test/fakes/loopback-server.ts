import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running fake: its base URL and how to stop it. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Drops open connections (a client's keep-alive must not hold the test) and closes. */
  close(): Promise<void>;
}

/**
 * Starts a fake provider's HTTP server on 127.0.0.1 at a free port, the way
 * every fake here runs: the code under test talks to it over the network as
 * it would to the real service. A handler that throws or rejects answers 500
 * with the error, so a bug in a fake shows in the test instead of hanging it.
 */
export async function listenOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Base of the class-shaped fakes: `start()` listens on loopback, `url` is
 * where, `stop()` closes; the subclass answers requests in `handle`.
 */
export abstract class LoopbackFake {
  private server: LoopbackServer | undefined;

  constructor(private readonly name: string) {}

  protected abstract handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;

  get url(): string {
    if (!this.server) throw new Error(`fake ${this.name} not started`);
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await listenOnLoopback((req, res) => this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
