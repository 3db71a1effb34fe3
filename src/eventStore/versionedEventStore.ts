import type { UpcasterRegistry } from '../eventVersions/upcasting';
import type { EventStore, RecordedEvent } from './eventStore';

/**
 * The event store as every reader sees it: each event read, by any path (stream, log,
 * position, id, subscription), is upcast to its type's current schema version, and each
 * event appended is stamped with that version. The adapters underneath store whatever
 * they are given and know nothing of versions.
 */
export const withEventVersions = (store: EventStore, versions: UpcasterRegistry): EventStore => {
  const upcast = (event: RecordedEvent) => versions.upcast(event);
  const upcastFound = (event: RecordedEvent | undefined) => event && versions.upcast(event);
  return {
    appendToStream: (streamName, events, options) =>
      store.appendToStream(streamName, events.map(versions.stamp), options),
    readStream: async (streamName, options) => (await store.readStream(streamName, options)).map(upcast),
    readAll: async (options) => (await store.readAll(options)).map(upcast),
    headPosition: () => store.headPosition(),
    readEventAt: async (position) => upcastFound(await store.readEventAt(position)),
    positionsAreDense: store.positionsAreDense,
    checksLastEventId: store.checksLastEventId,
    freshness: store.freshness,
    ...(store.readEventById && {
      readEventById: async (eventId: string) => upcastFound(await store.readEventById?.(eventId)),
    }),
    subscribeToAll: (options) =>
      store.subscribeToAll({ ...options, onEvent: (event) => options.onEvent(upcast(event)) }),
    close: () => store.close(),
  };
};
