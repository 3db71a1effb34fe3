import { streamPrefixes } from '../commands/streams';
import type { EventStore, RecordedEvent, Subscription } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import { createRestarter } from '../retry/backoff';
import { accessChangeOf, type AccessChange } from './accessChanges';
import type { RoomEvent, ToServerEvent } from './serverEventMapping';

export type LiveFeedDeps = {
  eventStore: Pick<EventStore, 'headPosition' | 'subscribeToAll'>;
  /** Delivers a server event to this process's sockets in its room. */
  toServerEvent: ToServerEvent;
  emit: (roomEvent: RoomEvent) => void;
  /** Awaited before the next event, so no delta overtakes an eviction it should follow. */
  onAccessChange: (change: AccessChange, position: bigint, eventId: string) => Promise<void>;
  logger: Logger;
  /** The first delay before resubscribing after a failure; it doubles up to 30 s while failures repeat. */
  retryDelayMs?: number;
};

/**
 * The gateway's subscription to the event log, from the head at start: every server
 * event is emitted after its event was committed, once, in log order (so in stream
 * order per room). Every process runs its own and delivers to its own sockets.
 */
export const createLiveFeed = (deps: LiveFeedDeps) => {
  let subscription: Subscription | undefined;
  let lastPosition: bigint | undefined;
  let stopped = true;

  const onEvent = async (event: RecordedEvent) => {
    const roomEvent = deps.toServerEvent(event);
    if (roomEvent) deps.emit(roomEvent);
    const change = accessChangeOf(event);
    if (change) {
      // A failed re-check must not stall (or, on resubscribe, repeat) the deltas.
      await deps.onAccessChange(change, event.position, event.id).catch((error: unknown) => {
        deps.logger.error({ err: error, eventId: event.id }, 'access re-check after event failed');
      });
    }
    lastPosition = event.position;
    restarter.reset();
  };

  const subscribe = () => {
    subscription = deps.eventStore.subscribeToAll({
      after: lastPosition,
      filter: { streamNamePrefixes: [streamPrefixes.channel, streamPrefixes.discussion, streamPrefixes.userAccess] },
      onEvent,
      onError: (error) => {
        if (stopped) return;
        // Resume right after the last handled event: nothing is skipped, nothing repeated.
        restarter.schedule(error);
      },
    });
  };

  const restarter = createRestarter({
    backoff: { firstMs: deps.retryDelayMs ?? 1000, maxMs: 30_000 },
    start: async () => {
      if (!stopped) subscribe();
    },
    onRestartScheduled: (error, delayMs) =>
      deps.logger.error(
        { err: error, after: lastPosition?.toString(), retryInMs: delayMs },
        'realtime feed failed; resubscribing',
      ),
  });

  const start = async () => {
    stopped = false;
    lastPosition = await deps.eventStore.headPosition();
    subscribe();
  };

  const stop = async () => {
    stopped = true;
    restarter.cancel();
    await subscription?.stop();
  };

  return { start, stop };
};
