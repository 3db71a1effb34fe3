import type { EventStore, RecordedEvent } from '../eventStore/eventStore';
import { positionBeforeTime } from './positionAtTime';
import { readAllEvents } from './readEvents';

/** How far the store's `recordedAt` may lie from the time in the event's UUID v7 id. */
const WINDOW_MS = 5 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidEventIdError extends Error {
  readonly code = 'VALIDATION_ERROR';
  constructor(readonly eventId: string) {
    super(`Not an event id (a UUID): ${eventId}`);
    this.name = 'InvalidEventIdError';
  }
}

/** The millisecond timestamp a UUID v7 carries in its first 48 bits, or undefined for other versions. */
export const timeOfUuidV7 = (id: string): Date | undefined => {
  if (id[14] !== '7') return undefined;
  return new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16));
};

/**
 * Finds an event by id. The port has no id index, but event ids are UUID v7 minted just
 * before the append, so the log is bisected to the id's time and only a window around it
 * is scanned; the whole log is scanned only when that misses (a foreign id or clock).
 */
export const findEvent = async (
  store: EventStore,
  eventId: string,
  options: { pageSize?: number; onFullScan?: () => void } = {},
): Promise<RecordedEvent | undefined> => {
  if (!UUID.test(eventId)) throw new InvalidEventIdError(eventId);
  const id = eventId.toLowerCase();
  if (store.readEventById) return store.readEventById(id);
  const time = timeOfUuidV7(id);
  if (time) {
    const after = await positionBeforeTime(store, new Date(time.getTime() - WINDOW_MS));
    const windowEnd = time.getTime() + WINDOW_MS;
    for await (const event of readAllEvents(store, { after, pageSize: options.pageSize })) {
      if (event.id.toLowerCase() === id) return event;
      if (Date.parse(event.recordedAt) > windowEnd) break;
    }
  }
  options.onFullScan?.();
  for await (const event of readAllEvents(store, { pageSize: options.pageSize })) {
    if (event.id.toLowerCase() === id) return event;
  }
  return undefined;
};
