export async function runServe(_options: { dataDir: string; verbose?: boolean; port?: number; host: string }): Promise<void> {
  throw new Error('serve: wired once the browser-mode server lands');
}
