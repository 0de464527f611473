import type { Connector, SyncBatch, SyncOptions, SyncResult } from '../connectors/types';
import type { StageTimer } from './stage-timer';

/**
 * Times a connector's listing as the 'walk+hash' stage: every step of its
 * sync generator (walking, stat-ing, reading and hashing until the next
 * batch is ready). The handler's own work between batches (parsing and
 * storing) is not included. Loading content (`doc.load`) is not timed here.
 */
export function timedConnector(connector: Connector, metrics: StageTimer): Connector {
  return new Proxy(connector, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      // Methods run on the connector itself, so its private fields stay reachable.
      if (property !== 'sync') return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      return async function* timedSync(options: SyncOptions): AsyncGenerator<SyncBatch, SyncResult> {
        const inner = target.sync(options);
        for (;;) {
          const step = await metrics.timeAsync('walk+hash', () => inner.next());
          if (step.done) return step.value;
          yield step.value;
        }
      };
    },
  });
}
