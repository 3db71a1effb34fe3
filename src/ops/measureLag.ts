import type { EventStore } from '../eventStore/eventStore';

export type Lag = {
  /** Events in the log after the checkpoint, counted up to `bound`. */
  events: number;
  /** True when the count stopped at the bound: there may be more. */
  eventsBounded: boolean;
  /** head recordedAt − checkpoint event recordedAt; 0 when caught up. */
  seconds: number;
};

export type LogHead = { position: bigint | undefined; recordedAt: string | undefined };

export const readLogHead = async (store: EventStore): Promise<LogHead> => {
  const position = await store.headPosition();
  if (position === undefined) return { position, recordedAt: undefined };
  return { position, recordedAt: (await store.readEventAt(position))?.recordedAt };
};

/**
 * Lag of the checkpoints against the head, from ONE bounded read of the log after the
 * lowest checkpoint (a scrape with many projections costs one query, not one each).
 */
export const measureLags = async (
  store: EventStore,
  head: LogHead,
  checkpoints: Array<bigint | undefined>,
  bound: number,
): Promise<Lag[]> => {
  if (head.position === undefined) return checkpoints.map(() => ({ events: 0, eventsBounded: false, seconds: 0 }));
  const behind = checkpoints.filter((checkpoint) => checkpoint === undefined || checkpoint < (head.position as bigint));
  if (behind.length === 0) return checkpoints.map(() => ({ events: 0, eventsBounded: false, seconds: 0 }));
  const lowest = behind.some((checkpoint) => checkpoint === undefined)
    ? undefined
    : behind.reduce((a, b) => ((a as bigint) < (b as bigint) ? a : b));
  const events = await store.readAll({ after: lowest, maxCount: bound + 1 });
  const headTime = head.recordedAt ? Date.parse(head.recordedAt) : Date.now();
  return Promise.all(
    checkpoints.map(async (checkpoint) => {
      if (checkpoint !== undefined && checkpoint >= (head.position as bigint)) {
        return { events: 0, eventsBounded: false, seconds: 0 };
      }
      const after = events.filter((event) => checkpoint === undefined || event.position > checkpoint);
      // The checkpoint event's time; before the first event, the first event's time.
      const reference =
        checkpoint === undefined
          ? events[0]?.recordedAt
          : ((await store.readEventAt(checkpoint))?.recordedAt ?? events[0]?.recordedAt);
      const seconds = reference ? Math.max(0, (headTime - Date.parse(reference)) / 1000) : 0;
      // A truncated read leaves every count a lower bound.
      return { events: Math.min(after.length, bound), eventsBounded: events.length > bound, seconds };
    }),
  );
};
