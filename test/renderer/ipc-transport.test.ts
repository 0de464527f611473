import { describe, expect, it } from 'vitest';
import type { TroveBridge } from '../../src/shared/contract';
import { createIpcClient } from '../../src/renderer/api/transports';

/** Stands in for the preload's window.trove: records calls, lets the test push events. */
function fakeBridge(answer: (command: string, input: unknown) => Promise<unknown>) {
  const listeners = new Set<(event: unknown) => void>();
  const calls: Array<[string, unknown]> = [];
  const bridge: TroveBridge = {
    call: async (command, input) => {
      calls.push([command, input]);
      return (await answer(command, input)) as Awaited<ReturnType<TroveBridge['call']>>;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathsForFiles: (files) => files.map((f) => `/dropped/${f.name}`),
  };
  return {
    bridge,
    calls,
    push: (event: unknown) => listeners.forEach((l) => l(event)),
    listenerCount: () => listeners.size,
  };
}

describe('IPC transport over the preload bridge', () => {
  it('forwards the command and input unchanged and returns the Result', async () => {
    const fake = fakeBridge(async () => ({ ok: true, value: { items: [] } }));
    const client = createIpcClient(fake.bridge);
    expect(client.shape).toBe('desktop');
    await expect(client.call('listJobs', { status: ['failed'] })).resolves.toEqual({ ok: true, value: { items: [] } });
    expect(fake.calls).toEqual([['listJobs', { status: ['failed'] }]]);
  });

  it('passes typed errors through and turns a broken bridge into UNAVAILABLE', async () => {
    const failing = createIpcClient(
      fakeBridge(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } })).bridge,
    );
    await expect(failing.call('getDocument', { documentId: 'd' })).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'gone' },
    });
    const broken = createIpcClient(fakeBridge(async () => Promise.reject(new Error('ipc closed'))).bridge);
    await expect(broken.call('jobCounts', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('delivers valid events, drops malformed ones, and unsubscribes', () => {
    const fake = fakeBridge(async () => ({ ok: true, value: null }));
    const client = createIpcClient(fake.bridge);
    const seen: string[] = [];
    const off = client.subscribe((event) => seen.push(event.type));
    fake.push({ type: 'connector.changed', connectorId: 'c1', status: 'paused', at: 1 });
    fake.push({ type: 'connector.changed', connectorId: 42 });
    fake.push('not even an object');
    expect(seen).toEqual(['connector.changed']);
    off();
    expect(fake.listenerCount()).toBe(0);
    fake.push({ type: 'connector.changed', connectorId: 'c1', status: 'active', at: 2 });
    expect(seen).toHaveLength(1);
  });

  it("asks the bridge for dropped files' paths", () => {
    const client = createIpcClient(fakeBridge(async () => null).bridge);
    expect(client.pathsForFiles?.([new File(['x'], 'a.pdf')])).toEqual(['/dropped/a.pdf']);
  });
});
