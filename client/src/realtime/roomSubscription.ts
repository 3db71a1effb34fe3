import { ApiError } from '../errors';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../retry';
import type { CursorStore } from './cursorStore';
import { createEventStream } from './eventStream';
import { ROOM_EVENTS, unwrapAck } from './roomEvents';
import { createSeenIds } from './seenIds';
import type {
  AckCall,
  JoinedRoom,
  ResetCause,
  RoomKind,
  SubscribeOptions,
  Subscription,
  SyncResult,
} from './roomTypes';

type Envelope = { eventId: string; eventType: string; data: { channelId: number } };

export type RoomDeps<Event, Page> = SubscribeOptions<Event, Page> & {
  kind: RoomKind;
  channelId: number;
  call: AckCall;
  cursors: CursorStore;
  fetchFirstPage: () => Promise<Page>;
  /** An UNAUTHORIZED answer: the client refreshes the token and reconnects, which resyncs every room. */
  requestReauth: () => void;
  isConnected: () => boolean;
  syncLimit: number;
  onClosed: () => void;
};

/** What the realtime client drives: resync after each connect, live events, eviction notices. */
export type RoomControl<Event> = Subscription<Event> & {
  resync: () => void;
  pause: () => void;
  accepts: (envelope: Envelope) => boolean;
  onLive: (envelope: Envelope) => void;
  onEvicted: (room: string, reason: string) => void;
  room: () => string | undefined;
};

/**
 * The spec's reconnect checklist for one room: join, sync from the last event id, page
 * through `hasMore`, drop duplicates by `eventId`, hold live events until the sync caught
 * up; on `resetRequired` take a fresh cursor, refetch over REST and hand the page to the app.
 */
export const createRoomSubscription = <Event extends Envelope, Page>(
  deps: RoomDeps<Event, Page>,
): RoomControl<Event> => {
  const names = ROOM_EVENTS[deps.kind];
  const cursorKey = `channel:${deps.channelId}:${deps.kind}`;
  const stream = createEventStream<Event>();
  const seen = createSeenIds();
  let lastEventId: string | undefined;
  let joined: JoinedRoom | undefined;
  let phase: 'idle' | 'syncing' | 'live' | 'closed' = 'idle';
  let generation = 0;
  let failures = 0;
  let buffered: Event[] = [];
  let running: Promise<void> = Promise.resolve();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const setCursor = (eventId: string | undefined) => {
    lastEventId = eventId;
    const saved = eventId === undefined ? deps.cursors.delete?.(cursorKey) : deps.cursors.set(cursorKey, eventId);
    Promise.resolve(saved).catch((error: unknown) => deps.onError?.(error));
  };

  const deliver = (event: Event) => {
    if (!seen.add(event.eventId)) return;
    setCursor(event.eventId);
    deps.onEvent?.(event);
    stream.push(event);
  };

  const reset = async (reason: ResetCause, detail?: string) => {
    let page: Page | undefined;
    let error: unknown;
    try {
      page = await deps.fetchFirstPage();
    } catch (caught) {
      error = caught;
    }
    await deps.onReset?.({ reason, ...(detail === undefined ? {} : { detail }), page, error });
  };

  const end = async (detail: string) => {
    generation += 1;
    phase = 'closed';
    setCursor(undefined);
    await reset('ACCESS_REVOKED', detail).catch((error: unknown) => deps.onError?.(error));
    stream.end();
    deps.onClosed();
    markReady();
  };

  const runSync = async (current: number) => {
    const stale = () => current !== generation;
    const call = async <Data>(event: string, payload: object) =>
      unwrapAck(await deps.call<Data>(`communication:${event}`, payload));
    joined = await call<JoinedRoom>(names.join, { channelId: deps.channelId });
    if (stale()) return;
    if (lastEventId === undefined) lastEventId = (await deps.cursors.get(cursorKey)) ?? undefined;
    let since = lastEventId;
    for (;;) {
      const result = await call<SyncResult>(names.sync, {
        channelId: deps.channelId,
        limit: deps.syncLimit,
        ...(since ? { sinceEventId: since } : {}),
      });
      if (stale()) return;
      if (since === undefined || result.resetRequired) {
        // A fresh cursor first, then the REST page: nothing written in between can fall through.
        const fresh = since === undefined ? result : await call<SyncResult>(names.sync, { channelId: deps.channelId });
        if (stale()) return;
        setCursor(fresh.resetRequired ? undefined : (fresh.lastEventId ?? undefined));
        await reset(result.resetRequired ? result.reason : 'INITIAL');
        break;
      }
      result.events.forEach((event) => deliver(event as unknown as Event));
      if (!result.hasMore) break;
      since = result.lastEventId ?? since;
    }
    if (stale()) return;
    phase = 'live';
    failures = 0;
    const pending = buffered;
    buffered = [];
    pending.forEach(deliver);
    markReady();
  };

  const onSyncError = (error: unknown, current: number) => {
    if (current !== generation) return;
    if (error instanceof ApiError && error.code === 'UNAUTHORIZED') return deps.requestReauth();
    if (error instanceof ApiError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      void end(error.reason ?? error.code);
      return;
    }
    // No answer (a disconnect mid-sync: the next connect resyncs) or SERVICE_UNAVAILABLE: try again.
    failures += 1;
    if (!(error instanceof ApiError)) deps.onError?.(error);
    setTimeout(
      () => {
        if (current === generation && deps.isConnected()) control.resync();
      },
      backoffDelayMs(DEFAULT_BACKOFF, failures),
    );
  };

  const control: RoomControl<Event> = {
    kind: deps.kind,
    channelId: deps.channelId,
    ready,
    lastEventId: () => lastEventId,
    room: () => joined?.room,
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    resync: () => {
      if (phase === 'closed') return;
      const current = (generation += 1);
      phase = 'syncing';
      buffered = [];
      running = running.then(
        () => runSync(current).catch((error: unknown) => onSyncError(error, current)),
        () => undefined,
      );
    },
    pause: () => {
      if (phase === 'closed') return;
      generation += 1;
      phase = 'idle';
    },
    accepts: (envelope) => envelope.eventType.startsWith(names.prefix) && envelope.data.channelId === deps.channelId,
    onLive: (envelope) => {
      if (phase === 'live') deliver(envelope as Event);
      else if (phase === 'syncing') buffered.push(envelope as Event);
    },
    onEvicted: (room, reason) => {
      if (phase !== 'closed' && room === joined?.room) void end(reason);
    },
    close: async () => {
      if (phase === 'closed') return;
      generation += 1;
      phase = 'closed';
      stream.end();
      deps.onClosed();
      markReady();
      if (joined && deps.isConnected()) {
        const payload =
          deps.kind === 'discussion' ? { discussionId: joined.discussionId } : { channelId: deps.channelId };
        await deps.call(`communication:${names.leave}`, payload).catch(() => undefined);
      }
    },
  };
  return control;
};
