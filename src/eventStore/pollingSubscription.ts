import {
  matchesFilter,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './eventStore';

type PollingSubscriptionOptions = SubscribeOptions & {
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>;
  /** Registers a wake-up for appends made by this process; returns the unregister function. */
  onAppended: (listener: () => void) => () => void;
  /** Fallback wake-up for appends made by other processes sharing the store. */
  pollIntervalMs: number;
  batchSize?: number;
};

/**
 * Catch-up subscription over a store that can be read by position: reads batches
 * after the last delivered position until a read comes back short (caught up), then
 * sleeps until woken by a local append or the poll timer. Because every read starts
 * strictly after the last delivered position, the hand-over from catch-up to live
 * can neither skip nor repeat an event.
 */
export const createPollingSubscription = (options: PollingSubscriptionOptions): Subscription => {
  const batchSize = options.batchSize ?? 500;
  let position = options.after;
  let stopped = false;
  let live = false;
  // An append that lands while we are reading must not wait for the poll timer.
  let appendedSinceRead = false;
  let wake: (() => void) | undefined;
  const unregister = options.onAppended(() => {
    appendedSinceRead = true;
    wake?.();
  });

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (appendedSinceRead || stopped) return resolve();
      const timer = setTimeout(done, options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const run = async () => {
    while (!stopped) {
      appendedSinceRead = false;
      // Read unfiltered so the position advances past events the filter drops.
      const events = await options.readAll({ after: position, maxCount: batchSize });
      for (const event of events) {
        if (stopped) return;
        if (matchesFilter(event, options.filter)) await options.onEvent(event);
        position = event.position;
      }
      if (events.length === batchSize) {
        // Catching up: let I/O (HTTP requests, sockets) run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        if (!live && !stopped) {
          live = true;
          options.onCaughtUp?.(position);
        }
        await sleep();
      }
    }
  };

  const running = run()
    .catch((error: unknown) => {
      stopped = true;
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    })
    .finally(unregister);

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
    },
  };
};
