import path from 'node:path';
import { createServerEventMapping } from '../../src/realtime/serverEventMapping';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore, NewEvent } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { createEventLocator, createScanningEventLocator, type EventLocator } from '../../src/realtime/eventLocator';
import { replayRoom, type ReplayPolicy } from '../../src/realtime/replayRoom';
import { makeTempDir } from '../helpers/testApp';

const metadata = { actor: { type: 'admin' as const, id: 'admin-1' }, correlationId: 'c', causationId: 'c' };
const post = (postId: number): NewEvent => ({
  id: uuidv7(),
  type: 'PostPublished',
  data: {
    postId,
    channelId: 1,
    type: 'TEXT',
    bodyText: `post ${postId}`,
    linkUrl: null,
    chartPayloadJson: null,
    attachments: [],
    createdByAdminId: 'admin-1',
    publishedAt: new Date().toISOString(),
  },
  metadata,
});

describe.each([
  ["the store's event id index", (store: EventStore) => createEventLocator(store, 20), 'UNKNOWN_EVENT_ID'],
  // A scan that gives up at the window cannot tell "unknown" from "older than the window".
  ['the bounded backward scan', (store: EventStore) => createScanningEventLocator(store, 20, 7), 'TOO_FAR_BEHIND'],
])(
  'Given a channel stream of 30 posts, replayed with %s and a window of 20 events',
  (_name, makeLocator, unknownReason) => {
    const policy: ReplayPolicy = { maxDistance: 20, maxAgeMs: 24 * 3600 * 1000, maxBytes: 1024 * 1024 };
    let store: EventStore;
    let locator: EventLocator;
    const ids: string[] = [];
    const replay = (sinceEventId: string | undefined, limit = 100) =>
      replayRoom(
        {
          eventStore: store,
          locator,
          policy,
          now: () => new Date(),
          toServerEvent: createServerEventMapping({ mediaBaseUrl: 'https://media.test' }),
        },
        { room: 'communication:channel:1:posts', streamName: 'channel-1', userId: 'u', sinceEventId, limit },
      );

    beforeAll(async () => {
      const file = path.join(makeTempDir('replay-'), 'events.sqlite');
      store = createSqliteEventStore({ path: file });
      for (let postId = 1; postId <= 30; postId += 1) {
        const event = post(postId);
        ids.push(event.id);
        await store.appendToStream('channel-1', [event]);
      }
      await store.appendToStream('channel-2', [post(1)]);
      locator = makeLocator(store);
    });
    afterAll(async () => {
      await locator.close();
      await store.close();
    });

    it('When the cursor is 25 events behind, then resetRequired with TOO_FAR_BEHIND', async () => {
      expect(await replay(ids[4])).toMatchObject({ resetRequired: true, reason: 'TOO_FAR_BEHIND' });
    });

    it('When the cursor is 20 events behind, then the 20 events come back in order', async () => {
      const result = await replay(ids[9]);
      if (result.resetRequired) throw new Error('unexpected reset');
      expect(result.events.map((event) => event.eventId)).toEqual(ids.slice(10));
      expect(result).toMatchObject({ hasMore: false, lastEventId: ids[29] });
    });

    it('When the limit is smaller than what was missed, then one page and hasMore', async () => {
      const result = await replay(ids[19], 3);
      if (result.resetRequired) throw new Error('unexpected reset');
      expect(result.events.map((event) => event.eventId)).toEqual(ids.slice(20, 23));
      expect(result).toMatchObject({ hasMore: true, lastEventId: ids[22] });
    });

    it('When there is no cursor, then the last event of the stream is the starting point', async () => {
      expect(await replay(undefined)).toMatchObject({ resetRequired: false, events: [], lastEventId: ids[29] });
    });

    it('When the cursor is unknown, then resetRequired (UNKNOWN_EVENT_ID, or TOO_FAR_BEHIND for a scan)', async () => {
      expect(await replay(uuidv7())).toMatchObject({ resetRequired: true, reason: unknownReason });
    });

    it('When the cursor is an event of another stream, then resetRequired with UNKNOWN_EVENT_ID or beyond', async () => {
      const [other] = await store.readStream('channel-2');
      expect(await replay(other.id)).toMatchObject({ resetRequired: true, reason: unknownReason });
    });
  },
);
