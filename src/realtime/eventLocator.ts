import type { EventStore } from '../eventStore/eventStore';

export type EventLocation = { streamName: string; revision: bigint; position: bigint; recordedAt: string };

/**
 * Where an event id sits in the log; `'beyond_window'` when a locator that can only
 * look back so far gave up before finding it.
 */
export type LocateResult = EventLocation | 'not_found' | 'beyond_window';

/** Resolves an event id; `streamName` is the stream the caller expects it in. */
export type EventLocator = {
  locate: (eventId: string, streamName: string) => Promise<LocateResult>;
  close: () => Promise<void>;
};

/**
 * Without an index on event ids (EventStoreDB), find the id by reading the expected
 * stream backwards from its end, at most `window` events: the cost is the distance the
 * client is behind, and anything further away is "too far behind" anyway.
 */
export const createScanningEventLocator = (eventStore: EventStore, window: number, pageSize = 500): EventLocator => ({
  locate: async (eventId, streamName) => {
    let fromRevision: bigint | undefined;
    let scanned = 0;
    while (scanned <= window) {
      const page = await eventStore.readStream(streamName, {
        direction: 'backwards',
        fromRevision,
        maxCount: pageSize,
      });
      const found = page.find((event) => event.id === eventId);
      if (found)
        return { streamName, revision: found.revision, position: found.position, recordedAt: found.recordedAt };
      if (page.length < pageSize) return 'not_found';
      scanned += page.length;
      fromRevision = page[page.length - 1].revision - 1n;
      if (fromRevision < 0n) return 'not_found';
    }
    return 'beyond_window';
  },
  close: async () => {},
});

/** The store's event id index where it has one; otherwise the bounded backwards scan. */
export const createEventLocator = (eventStore: EventStore, window: number): EventLocator => {
  const readEventById = eventStore.readEventById?.bind(eventStore);
  if (!readEventById) return createScanningEventLocator(eventStore, window);
  return {
    locate: async (eventId) => {
      const event = await readEventById(eventId);
      if (!event) return 'not_found';
      return {
        streamName: event.streamName,
        revision: event.revision,
        position: event.position,
        recordedAt: event.recordedAt,
      };
    },
    close: async () => {},
  };
};
