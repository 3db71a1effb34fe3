import type { EventFilter, RecordedEvent, Subscription } from '../../src/eventStore/eventStore';
import {
  deferred,
  expectStrictlyIncreasing,
  ids,
  newEvent,
  newEvents,
  uniquePrefix,
  waitFor,
  type CreateStore,
  type StoreUnderTest,
} from './eventStoreFixtures';

type Collector = {
  delivered: RecordedEvent[];
  /** Ids delivered at the moment each caught-up signal fired. */
  caughtUp: string[][];
  errors: Error[];
  subscription: Subscription;
};

export const describeSubscriptionContract = (createStore: CreateStore): void => {
  describe('subscribing to the whole log', () => {
    let sut: StoreUnderTest;
    let prefix: string;
    let headBefore: bigint | undefined;
    const subscriptions: Subscription[] = [];
    beforeEach(async () => {
      sut = await createStore();
      prefix = uniquePrefix('sub');
      headBefore = await sut.store.headPosition();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await sut.dispose();
    });

    const collect = (
      options: { after?: bigint; filter?: EventFilter; onEvent?: (event: RecordedEvent) => Promise<void> | void } = {},
    ): Collector => {
      const collector: Omit<Collector, 'subscription'> = { delivered: [], caughtUp: [], errors: [] };
      const subscription = sut.store.subscribeToAll({
        after: options.after ?? headBefore,
        filter: options.filter ?? { streamNamePrefixes: [prefix] },
        onEvent: async (event) => {
          await options.onEvent?.(event);
          collector.delivered.push(event);
        },
        onCaughtUp: () => collector.caughtUp.push(ids(collector.delivered)),
        onError: (error) => collector.errors.push(error),
      });
      subscriptions.push(subscription);
      return { ...collector, subscription };
    };

    it('When events exist before subscribing, then it delivers them, signals caught-up, then delivers live ones', async () => {
      const before = newEvents(3);
      await sut.store.appendToStream(`${prefix}1`, before);
      const collector = collect();
      await waitFor(() => collector.caughtUp.length > 0);
      expect(collector.caughtUp[0]).toEqual(ids(before));
      const live = newEvent();
      await sut.store.appendToStream(`${prefix}2`, [live]);
      await waitFor(() => collector.delivered.length === 4);
      expect(ids(collector.delivered)).toEqual([...ids(before), live.id]);
      expect(collector.errors).toEqual([]);
    });

    it('When appends race with the catch-up, then every event arrives once, in log order, with no gap', async () => {
      const streams = [`${prefix}a`, `${prefix}b`, `${prefix}c`];
      for (let batch = 0; batch < 12; batch += 1) {
        await sut.store.appendToStream(streams[batch % 3], newEvents(50));
      }
      // A handler that yields keeps the catch-up running while the writers below append.
      const collector = collect({ onEvent: () => new Promise((resolve) => setImmediate(resolve)) });
      let racing = 0;
      const writers = streams.map(async (stream) => {
        for (let round = 0; round < 20; round += 1) {
          const count = (round % 3) + 1;
          racing += count;
          await sut.store.appendToStream(stream, newEvents(count));
        }
      });
      await Promise.all(writers);
      const expected = await sut.store.readAll({ after: headBefore, filter: { streamNamePrefixes: [prefix] } });
      expect(expected).toHaveLength(600 + racing);
      await waitFor(() => collector.delivered.length >= expected.length, 15000);
      expect(ids(collector.delivered)).toEqual(ids(expected));
      expectStrictlyIncreasing(collector.delivered.map((event) => event.position));
      expect(collector.caughtUp.length).toBeGreaterThan(0);
    });

    it('When resuming from a stored position, then it delivers exactly what followed it', async () => {
      const events = newEvents(4);
      await sut.store.appendToStream(`${prefix}1`, events);
      const first = collect();
      await waitFor(() => first.delivered.length === 4);
      await first.subscription.stop();
      const stored = first.delivered[1].position;
      const later = newEvent();
      await sut.store.appendToStream(`${prefix}1`, [later]);
      const resumed = collect({ after: stored });
      await waitFor(() => resumed.delivered.length === 3);
      expect(ids(resumed.delivered)).toEqual([events[2].id, events[3].id, later.id]);
    });

    it('When subscribing with a stream prefix or event type filter, then only matching events arrive', async () => {
      const byStream = collect({ filter: { streamNamePrefixes: [`${prefix}keep`] } });
      const byType = collect({ filter: { streamNamePrefixes: [prefix], eventTypes: ['Wanted'] } });
      const kept = newEvent('Other');
      const wanted = newEvent('Wanted');
      await sut.store.appendToStream(`${prefix}drop`, [newEvent('Other'), wanted]);
      await sut.store.appendToStream(`${prefix}keep`, [kept]);
      await waitFor(() => byStream.delivered.length === 1 && byType.delivered.length === 1);
      const marker = newEvent('Wanted');
      await sut.store.appendToStream(`${prefix}keep`, [marker]);
      await waitFor(() => byStream.delivered.length === 2 && byType.delivered.length === 2);
      expect(ids(byStream.delivered)).toEqual([kept.id, marker.id]);
      expect(ids(byType.delivered)).toEqual([wanted.id, marker.id]);
    });

    it('When a handler is slow, then the next event waits for it (handlers run one at a time, in order)', async () => {
      let running = 0;
      let maxRunning = 0;
      const collector = collect({
        onEvent: async () => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running -= 1;
        },
      });
      const events = newEvents(10);
      await sut.store.appendToStream(`${prefix}1`, events);
      await waitFor(() => collector.delivered.length === 10);
      expect(maxRunning).toBe(1);
      expect(ids(collector.delivered)).toEqual(ids(events));
    });

    it('When stopped, then stop waits for the running handler and nothing is delivered afterwards', async () => {
      const gate = deferred();
      let handlerStarted = false;
      const collector = collect({
        onEvent: async () => {
          handlerStarted = true;
          await gate.promise;
        },
      });
      await sut.store.appendToStream(`${prefix}1`, newEvents(2));
      await waitFor(() => handlerStarted);
      let stopped = false;
      const stopping = collector.subscription.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stopped).toBe(false);
      gate.resolve();
      await stopping;
      expect(collector.delivered).toHaveLength(1);
      await sut.store.appendToStream(`${prefix}1`, newEvents(2));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(collector.delivered).toHaveLength(1);
    });

    it('When a handler throws, then onError receives the error and no later event is delivered', async () => {
      const failure = new Error('handler failed');
      const events = newEvents(3);
      const collector = collect({
        onEvent: (event) => {
          if (event.id === events[1].id) throw failure;
        },
      });
      await sut.store.appendToStream(`${prefix}1`, events);
      await waitFor(() => collector.errors.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(collector.errors[0]).toBe(failure);
      expect(ids(collector.delivered)).toEqual([events[0].id]);
    });
  });
};
