import { describe, expect, it } from 'vitest';
import { EventsRepo } from '../../src/main/core/store/events.repo';
import { createLibrary } from '../search/library';

describe('the notifications feed', () => {
  it('tells listeners how many stay unread when some are read or removed, and only then', () => {
    const { db, clock, addConnector } = createLibrary();
    addConnector('drive');
    addConnector('notes');
    const events = new EventsRepo(db, clock);
    const counts: number[] = [];
    const off = events.onUnreadChange((unread) => counts.push(unread));
    const first = events.record({ type: 'sync_completed', title: 'Drive synced', connectorId: 'drive' });
    events.record({ type: 'sync_completed', title: 'Drive synced again', connectorId: 'drive' });
    events.record({ type: 'document_failed', title: 'notes.pdf could not be indexed', connectorId: 'notes' });
    events.record({ type: 'sync_completed', title: 'Notes synced', connectorId: 'notes' });
    // A new one is announced by onRecord, not here.
    expect(counts).toEqual([]);

    events.markRead(first.id);
    events.markRead(first.id); // already read: nothing changed, nothing told
    events.removeForConnector('drive'); // one unread left the feed with its connector
    events.markRead();
    events.markRead();
    expect(counts).toEqual([3, 2, 0]);

    off();
    clock.advance(60_000);
    events.prune(1);
    expect(counts).toEqual([3, 2, 0]);
    expect(events.unreadCount()).toBe(0);
  });
});
