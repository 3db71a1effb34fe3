import type { EventStore, RecordedEvent } from '../eventStore/eventStore';
import { changesRoomAccessFor } from './accessChanges';
import type { EventLocator } from './eventLocator';
import type { ServerEnvelope, ResetReason, SyncResult } from './realtimeContract';
import type { ToServerEvent } from './serverEventMapping';

export type ReplayPolicy = {
  /** More stream events than this between the cursor and the stream's end: TOO_FAR_BEHIND. */
  maxDistance: number;
  /** The first missed event is older than this: TOO_FAR_BEHIND (a client away this long refetches over REST). */
  maxAgeMs: number;
  /** A page stops before the event that would take its envelopes past this many bytes (JSON); one event always fits. */
  maxBytes: number;
};

export const defaultReplayPolicy: ReplayPolicy = {
  maxDistance: 10_000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytes: 512 * 1024,
};

export type ReplayRequest = {
  room: string;
  streamName: string;
  userId: string;
  sinceEventId: string | undefined;
  limit: number;
};

type ReplayDeps = {
  eventStore: Pick<EventStore, 'readStream'>;
  locator: Pick<EventLocator, 'locate'>;
  policy: ReplayPolicy;
  now: () => Date;
  toServerEvent: ToServerEvent;
};

const RESET_MESSAGES: Record<ResetReason, string> = {
  UNKNOWN_EVENT_ID: 'sinceEventId is not an event of this room; refetch over REST',
  TOO_FAR_BEHIND: 'Too many events were missed to replay; refetch over REST',
  ACCESS_CHANGED: 'Access to this room changed since sinceEventId; refetch over REST',
};

const READ_CHUNK = 100;

/**
 * The embedded store reads synchronously, and awaiting its promises only queues microtasks:
 * without a macrotask between chunks, the syncs a socket may have in flight (8 pages of up
 * to 512 KB) ran back to back as one 100+ ms block in which no other client was served.
 */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

const reset = (room: string, reason: ResetReason): SyncResult => ({
  resetRequired: true,
  room,
  reason,
  message: RESET_MESSAGES[reason],
});

const lastEventOf = async (deps: ReplayDeps, streamName: string): Promise<RecordedEvent | undefined> =>
  (await deps.eventStore.readStream(streamName, { direction: 'backwards', maxCount: 1 }))[0];

/**
 * `sync_*`: the room's events after `sinceEventId`, in stream order, at most `limit`.
 * The cursor is resolved to its revision, and the stream is read forwards from the next
 * revision only as far as the page needs, so the cost follows what is returned.
 * Without a cursor, answers the room's latest event id as the starting point.
 */
export const replayRoom = async (deps: ReplayDeps, request: ReplayRequest): Promise<SyncResult> => {
  const { room, streamName, sinceEventId, limit } = request;
  if (sinceEventId === undefined) {
    const last = await lastEventOf(deps, streamName);
    return { resetRequired: false, room, events: [], hasMore: false, lastEventId: last?.id ?? null };
  }
  const location = await deps.locator.locate(sinceEventId, streamName);
  if (location === 'beyond_window') return reset(room, 'TOO_FAR_BEHIND');
  if (location === 'not_found' || location.streamName !== streamName) return reset(room, 'UNKNOWN_EVENT_ID');
  const last = await lastEventOf(deps, streamName);
  if (last && last.revision - location.revision > BigInt(deps.policy.maxDistance)) return reset(room, 'TOO_FAR_BEHIND');

  const events: ServerEnvelope[] = [];
  let fromRevision = location.revision + 1n;
  let firstMissed = true;
  let bytes = 0;
  let full = false;
  // One extra room event tells whether there is more. Reads go in chunks, so a page cut short
  // by its byte bound has not loaded the rest of a 1,000-event limit.
  while (!full && events.length <= limit) {
    await yieldToOthers();
    const pageSize = Math.min(limit + 1 - events.length, READ_CHUNK);
    const page = await deps.eventStore.readStream(streamName, {
      direction: 'forwards',
      fromRevision,
      maxCount: pageSize,
    });
    for (const event of page) {
      if (firstMissed && deps.now().getTime() - Date.parse(event.recordedAt) > deps.policy.maxAgeMs) {
        return reset(room, 'TOO_FAR_BEHIND');
      }
      firstMissed = false;
      if (changesRoomAccessFor(event, request.userId)) return reset(room, 'ACCESS_CHANGED');
      const roomEvent = deps.toServerEvent(event);
      if (roomEvent && roomEvent.room === room) {
        if (events.length < limit) {
          const size = Buffer.byteLength(JSON.stringify(roomEvent.envelope));
          full = events.length > 0 && bytes + size > deps.policy.maxBytes;
          if (full) break;
          bytes += size;
        }
        events.push(roomEvent.envelope);
      }
      if (events.length > limit) break;
    }
    if (page.length < pageSize) break;
    fromRevision = page[page.length - 1].revision + 1n;
  }
  const hasMore = full || events.length > limit;
  const page = hasMore ? events.slice(0, limit) : events;
  return {
    resetRequired: false,
    room,
    events: page,
    hasMore,
    lastEventId: page.length > 0 ? page[page.length - 1].eventId : sinceEventId,
  };
};
