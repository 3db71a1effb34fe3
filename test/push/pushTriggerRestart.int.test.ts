import path from 'node:path';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { createLogger } from '../../src/logger';
import type { JobQueue } from '../../src/push/jobQueue';
import { createPushCheckpoint, type PushCheckpoint } from '../../src/push/pushCheckpoint';
import type { PushJob } from '../../src/push/pushJobs';
import { createPushTrigger } from '../../src/push/pushTrigger';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import { makeTempDir } from '../helpers/testApp';
import { postPublished, streamOf, toNewEvent } from '../projections/projectionFixtures';

/** The trigger's own checkpoint store, going away while `down` is set (both read and save fail). */
const withOutage = (checkpoint: PushCheckpoint) => {
  const state = { down: false, failedCalls: 0 };
  const guard = <T>(call: () => Promise<T>) => {
    if (!state.down) return call();
    state.failedCalls += 1;
    return Promise.reject(new Error('read-model store unreachable'));
  };
  const wrapped: PushCheckpoint = {
    read: () => guard(checkpoint.read),
    save: (position) => guard(() => checkpoint.save(position)),
  };
  return { state, checkpoint: wrapped };
};

/** Only what the trigger uses of the queue: the jobs it hands over, in order. */
const collectingQueue = (enqueued: PushJob[]): JobQueue => ({
  enqueue: async (jobs) => void enqueued.push(...jobs),
  start: async () => undefined,
  stop: async () => undefined,
  pendingCount: async () => 0,
  failedJobs: async () => [],
  failedCount: async () => 0,
});

const waitUntil = async (predicate: () => Promise<boolean> | boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('Given the push trigger following the log with its checkpoint in the read-model store', () => {
  let eventStore: EventStore;
  let readModels: ReadModelStore;
  let stored: PushCheckpoint;

  beforeEach(async () => {
    const dir = makeTempDir('push-trigger-');
    eventStore = createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    readModels = createSqliteReadModelStore({ path: path.join(dir, 'readmodels.sqlite') });
    stored = createPushCheckpoint(readModels);
    await readModels.start();
  });
  afterEach(async () => {
    await readModels.close();
    await eventStore.close();
  });

  it('When the store stays down across several restarts (reading the checkpoint fails too), then the trigger keeps retrying and queues the post once it is back', async () => {
    const outage = withOutage(stored);
    const enqueued: PushJob[] = [];
    const trigger = createPushTrigger({
      eventStore,
      queue: collectingQueue(enqueued),
      checkpoint: outage.checkpoint,
      readModels: { waitForPosition: async () => true },
      logger: createLogger('silent'),
      restartDelays: { firstMs: 10, maxMs: 40 },
    });
    await trigger.start();
    const first = await eventStore.appendToStream(streamOf(postPublished(1, 1)), [toNewEvent(postPublished(1, 1))]);
    await waitUntil(async () => (await stored.read()) === first.position);

    outage.state.down = true;
    const second = await eventStore.appendToStream(streamOf(postPublished(1, 2)), [toNewEvent(postPublished(1, 2))]);
    await waitUntil(() => outage.state.failedCalls >= 4);
    outage.state.down = false;

    await waitUntil(async () => (await stored.read()) === second.position);
    await trigger.stop();
    expect([...new Set(enqueued.map((job) => job.id))]).toEqual(['fanout-1', 'fanout-2']);
  });
});
