import {
  matchesFilter,
  type EventStore,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../eventStore/eventStore';

export type SharedSubscription = {
  /** Same contract as `EventStore.subscribeToAll`; subscribers registered before `open` share one read of the log. */
  subscribe: (options: SubscribeOptions) => Subscription;
  /** Starts the one underlying subscription, from the lowest position any subscriber needs. */
  open: () => void;
};

type Subscriber = { options: SubscribeOptions; active: boolean; running: Promise<void> };

/**
 * Fans one log subscription out to many subscribers (the projections), so a cold start
 * or catch-up reads and decodes each event once instead of once per projection. Each
 * subscriber still sees only events after its own `after`, in order, one at a time; a
 * subscriber whose handler fails is dropped alone (its `onError` is called) and the
 * others go on. Subscribers that arrive after `open` get their own subscription.
 */
export const createSharedSubscription = (eventStore: Pick<EventStore, 'subscribeToAll'>): SharedSubscription => {
  const subscribers: Subscriber[] = [];
  let underlying: Subscription | undefined;
  let opened = false;

  const active = () => subscribers.filter((subscriber) => subscriber.active);

  const drop = (subscriber: Subscriber, error: Error) => {
    subscriber.active = false;
    subscriber.options.onError?.(error);
  };

  const toError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

  /** Calls the subscriber's handler; returns a promise only when the handler returned one. */
  const deliver = (subscriber: Subscriber, event: RecordedEvent): Promise<void> | undefined => {
    const { after, filter, onEvent } = subscriber.options;
    if (after !== undefined && event.position <= after) return undefined;
    if (!matchesFilter(event, filter)) return undefined;
    let result: Promise<void> | void;
    try {
      result = onEvent(event);
    } catch (error) {
      drop(subscriber, toError(error));
      return undefined;
    }
    if (!result) return undefined;
    const running = Promise.resolve(result).catch((error: unknown) => drop(subscriber, toError(error)));
    subscriber.running = running;
    return running;
  };

  /**
   * Hands the event to each active subscriber in turn. Stays synchronous while handlers
   * do (a projection only buffers most events): a catch-up then costs no promise per
   * event and subscriber; a handler's promise is awaited before the next subscriber.
   */
  const fanOut = (event: RecordedEvent, from: number): Promise<void> | undefined => {
    for (let index = from; index < subscribers.length; index++) {
      const subscriber = subscribers[index];
      if (!subscriber.active) continue;
      const running = deliver(subscriber, event);
      if (running) return running.then(() => fanOut(event, index + 1));
    }
    return undefined;
  };

  const open = () => {
    if (opened) return;
    opened = true;
    const current = active();
    if (current.length === 0) return;
    const froms = current.map((subscriber) => subscriber.options.after);
    const after = froms.some((from) => from === undefined)
      ? undefined
      : (froms as bigint[]).reduce((lowest, from) => (from < lowest ? from : lowest));
    underlying = eventStore.subscribeToAll({
      after,
      onEvent: (event) => fanOut(event, 0),
      onCaughtUp: (position) => active().forEach((subscriber) => subscriber.options.onCaughtUp?.(position)),
      onError: (error) => active().forEach((subscriber) => drop(subscriber, error)),
    });
  };

  const subscribe = (options: SubscribeOptions): Subscription => {
    if (opened) return eventStore.subscribeToAll(options);
    const subscriber: Subscriber = { options, active: true, running: Promise.resolve() };
    subscribers.push(subscriber);
    return {
      stop: async () => {
        subscriber.active = false;
        if (active().length === 0 && underlying) {
          const stopping = underlying;
          underlying = undefined;
          await stopping.stop();
        }
        await subscriber.running;
      },
    };
  };

  return { subscribe, open };
};
