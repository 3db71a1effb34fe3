import { Transform } from 'node:stream';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { createEventStoreDbSubscription } from '../../src/eventStore/eventStoreDbSubscription';

/**
 * The EventStoreDB subscription's handling of client behaviour, on a fake client. Like the
 * client's own `Subscription` (db-client/dist/streams/utils/Subscription.js), a subscription
 * is an object-mode Transform stream fed by the gRPC call; `unsubscribe` cancels that call
 * and does not end the stream. An idle log sends no event, so the stream never yields.
 */
class IdleLogSubscription extends Transform {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

const fakeClient = () => {
  const opened: IdleLogSubscription[] = [];
  const client = {
    subscribeToAll: () => {
      const subscription = new IdleLogSubscription();
      opened.push(subscription);
      return subscription;
    },
  } as unknown as EventStoreDBClient;
  return { client, opened };
};

/** Settles like `promise`, or rejects after `ms`: a hang fails this test instead of the suite's timeout. */
const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
};

describe('Given an EventStoreDB subscription to an idle log, still reading the head position', () => {
  let opened: IdleLogSubscription[] = [];
  afterEach(() => opened.forEach((subscription) => subscription.destroy()));

  it('When stop() is called and the head read then answers, then stop resolves and no subscription stays open', async () => {
    const fake = fakeClient();
    opened = fake.opened;
    let answerHead: (position: bigint | undefined) => void = () => undefined;
    const subscription = createEventStoreDbSubscription({
      client: fake.client,
      headPosition: () => new Promise((resolve) => (answerHead = resolve)),
      onEvent: () => undefined,
    });
    await new Promise((resolve) => setImmediate(resolve));

    const stopping = subscription.stop();
    answerHead(42n);

    await within(stopping, 2000, 'stop()');
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.opened.filter((opened) => !opened.destroyed)).toEqual([]);
  });

  it('When stop() is called while the head read never answers (server unreachable), then stop resolves anyway', async () => {
    const fake = fakeClient();
    opened = fake.opened;
    const subscription = createEventStoreDbSubscription({
      client: fake.client,
      headPosition: () => new Promise(() => undefined),
      onEvent: () => undefined,
    });
    await new Promise((resolve) => setImmediate(resolve));

    await within(subscription.stop(), 2000, 'stop()');
    expect(fake.opened).toEqual([]);
  });

  it('When stop() is called once the subscription is open, then it unsubscribes and resolves', async () => {
    const fake = fakeClient();
    opened = fake.opened;
    const subscription = createEventStoreDbSubscription({
      client: fake.client,
      headPosition: async () => 42n,
      onEvent: () => undefined,
    });
    while (fake.opened.length === 0) await new Promise((resolve) => setImmediate(resolve));

    await within(subscription.stop(), 2000, 'stop()');
    expect(fake.opened.map((opened) => [opened.unsubscribed, opened.destroyed])).toEqual([[true, true]]);
  });
});
