import { START, type AllStreamSubscription, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import { toDbFilter, toDbPosition, toRecordedEvent } from './eventStoreDbMapping';
import { matchesFilter, type SubscribeOptions, type Subscription } from './eventStore';

export type SubscriptionLogger = { warn: (details: object, message: string) => void };

type EventStoreDbSubscriptionOptions = SubscribeOptions & {
  client: EventStoreDBClient;
  headPosition: () => Promise<bigint | undefined>;
  logger?: SubscriptionLogger;
  /** First and maximum delay before resubscribing after a dropped connection. */
  retryDelayMs?: { initial: number; max: number };
};

/** Marks a failure of the caller's handler, which stops the subscription (a dropped connection does not). */
class HandlerFailure extends Error {
  constructor(readonly original: Error) {
    super(original.message);
  }
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * A catch-up subscription to $all that resubscribes by itself after a dropped
 * connection, from the last position it handled, with exponential backoff.
 * Handlers are awaited one at a time; events at or before the last handled
 * position are dropped, so a resubscription never delivers one twice.
 */
export const createEventStoreDbSubscription = (options: EventStoreDbSubscriptionOptions): Subscription => {
  const retry = options.retryDelayMs ?? { initial: 100, max: 10_000 };
  let last = options.after;
  let stopped = false;
  let current: AllStreamSubscription | undefined;
  let wakeFromBackoff: (() => void) | undefined;
  let signalStop: () => void = () => undefined;
  const stopRequested = new Promise<'stopped'>((resolve) => (signalStop = () => resolve('stopped')));

  /**
   * `stop` cannot reach an await that is not on the subscription (nothing to unsubscribe yet):
   * each such await also ends when stop is called, or stop would wait for the head read (and,
   * on an idle log, for the next event) forever.
   */
  const unlessStopped = <T>(work: Promise<T>): Promise<T | 'stopped'> => {
    work.catch(() => undefined);
    return Promise.race([work, stopRequested]);
  };

  const connectOnce = async (): Promise<void> => {
    // Servers before 23.10 send no caught-up message: then caught-up means reaching the head seen now.
    const head = await unlessStopped(options.headPosition());
    if (head === 'stopped' || stopped) return;
    const headAtStart = head;
    let consumed = 0;
    let handled = 0;
    let caughtUpAfter: number | undefined;
    let signalled = false;
    const signalIfReached = () => {
      if (signalled || caughtUpAfter === undefined || handled < caughtUpAfter) return;
      signalled = true;
      options.onCaughtUp?.(last);
    };
    // Events already received but still buffered precede the marker: count them in.
    const markCaughtUp = () => {
      if (caughtUpAfter !== undefined || !current) return;
      caughtUpAfter = consumed + current.readableLength;
      signalIfReached();
    };
    const onCheckpoint = (_: AllStreamSubscription, position: Position) => {
      if (headAtStart !== undefined && position.commit >= headAtStart) markCaughtUp();
    };

    const subscription = options.client.subscribeToAll({
      fromPosition: last === undefined ? START : toDbPosition(last),
      filter: toDbFilter(options.filter, onCheckpoint),
    });
    current = subscription;
    subscription.on('caughtUp', markCaughtUp);
    if (headAtStart === undefined || (last !== undefined && last >= headAtStart)) {
      subscription.once('confirmation', markCaughtUp);
    }

    for await (const resolved of subscription) {
      consumed += 1;
      if (stopped) return;
      const event = toRecordedEvent(resolved);
      if (event && (last === undefined || event.position > last)) {
        if (matchesFilter(event, options.filter)) {
          try {
            await options.onEvent(event);
          } catch (error) {
            throw new HandlerFailure(toError(error));
          }
        }
        last = event.position;
        if (headAtStart !== undefined && event.position >= headAtStart) markCaughtUp();
      }
      handled += 1;
      signalIfReached();
    }
  };

  const backoff = (delayMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, delayMs);
      function done() {
        clearTimeout(timer);
        wakeFromBackoff = undefined;
        resolve();
      }
      wakeFromBackoff = done;
    });

  const run = async () => {
    let attempt = 0;
    while (!stopped) {
      const positionBefore = last;
      try {
        await connectOnce();
        if (stopped) return;
        throw new Error('EventStoreDB ended the subscription');
      } catch (error) {
        if (error instanceof HandlerFailure) throw error.original;
        if (stopped) return;
        attempt = last === positionBefore ? attempt + 1 : 1;
        const delayMs = Math.min(retry.max, retry.initial * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        options.logger?.warn(
          { err: toError(error), after: last?.toString() ?? null, retryInMs: Math.round(delayMs) },
          'event store subscription dropped; resubscribing',
        );
        await backoff(delayMs);
      } finally {
        const ended = current;
        current = undefined;
        if (ended && !ended.destroyed) {
          ended.removeAllListeners('caughtUp');
          ended.unsubscribe().catch(() => undefined);
          ended.destroy();
        }
      }
    }
  };

  const running = run().catch((error: unknown) => {
    stopped = true;
    options.onError?.(toError(error));
  });

  return {
    stop: async () => {
      stopped = true;
      signalStop();
      wakeFromBackoff?.();
      const subscription = current;
      if (subscription) {
        await subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      }
      await running;
    },
  };
};
