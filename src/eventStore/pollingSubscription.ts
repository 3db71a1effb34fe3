import {
  matchesFilter,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './eventStore';

type PollingSubscriptionOptions = SubscribeOptions & {
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>;
  /**
   * Registers for this process's commits, in log order (the commit notice), and for word of
   * another connection's commit (a notice with no events); returns the unregister function.
   */
  onCommitted: (listener: (events: RecordedEvent[]) => void) => () => void;
  /** Fallback wake-up for appends made by other processes sharing the store. */
  pollIntervalMs: number;
  batchSize?: number;
};

/** Beyond this many noticed events not yet delivered, the subscription reads the log instead. */
const MAX_NOTICED = 10_000;

/**
 * Catch-up subscription over a store whose positions are dense (consecutive): reads
 * batches after the last delivered position until a read comes back short (caught up).
 * Live, it delivers this process's commits straight from the commit notice when they
 * follow the last delivered position without a gap; it goes back to the log only when it
 * must: a gap (another process appended in between), another process's commit (a notice
 * with no events), a notice it could not keep, or the poll timer. Every delivery starts
 * strictly after the last delivered position, so nothing is skipped or repeated.
 */
export const createPollingSubscription = (options: PollingSubscriptionOptions): Subscription => {
  const batchSize = options.batchSize ?? 500;
  let position = options.after;
  let stopped = false;
  let live = false;
  // The log holds events no notice kept: the next delivery reads it.
  let mustRead = true;
  let noticed: RecordedEvent[] = [];
  let wake: (() => void) | undefined;
  const unregister = options.onCommitted((events) => {
    if (events.length === 0 || !live || noticed.length + events.length > MAX_NOTICED) {
      mustRead = true;
      noticed = [];
    } else {
      noticed = noticed.concat(events);
    }
    wake?.();
  });

  /** Noticed events past the delivered position, in order; undefined when a gap before them sends it to the log. */
  const takeNoticed = (): RecordedEvent[] | undefined => {
    const after = position ?? 0n;
    const next = noticed.filter((event) => event.position > after);
    noticed = [];
    if (next.length === 0) return next;
    if (next[0].position !== after + 1n) return undefined;
    const contiguous = next.findIndex((event, index) => event.position !== after + 1n + BigInt(index));
    if (contiguous === -1) return next;
    // Another process appended in the gap: what follows it comes from the log, right after these.
    mustRead = true;
    return next.slice(0, contiguous);
  };

  const hasWork = () => mustRead || stopped || noticed.some((event) => event.position > (position ?? 0n));

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (hasWork()) return resolve();
      const timer = setTimeout(() => {
        mustRead = true;
        done();
      }, options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const read = () => {
    mustRead = false;
    return options.readAll({ after: position, maxCount: batchSize });
  };

  const run = async () => {
    while (!stopped) {
      const fromNotice = mustRead ? undefined : takeNoticed();
      const events = fromNotice ?? (await read());
      for (const event of events) {
        if (stopped) return;
        // Unfiltered reads, so the position advances past events the filter drops.
        if (matchesFilter(event, options.filter)) {
          // Awaited only when the handler returned a promise: a projection catching up buffers
          // most events synchronously, and a microtask hop per event adds up over a whole log.
          const handled = options.onEvent(event);
          if (handled) await handled;
        }
        position = event.position;
      }
      if (fromNotice === undefined && events.length === batchSize) {
        // Catching up: let I/O (HTTP requests, sockets) run between batches.
        mustRead = true;
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
