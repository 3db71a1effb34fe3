import path from 'node:path';
import { createLogger } from '../../src/logger';
import { createPushAudience } from '../../src/push/pushAudience';
import { createPushBackend, type PushBackend } from '../../src/push/pushBackend';
import { createPushCheckpoint, type PushCheckpoint } from '../../src/push/pushCheckpoint';
import type { PushJob } from '../../src/push/pushJobs';
import { createPushTrigger } from '../../src/push/pushTrigger';
import { createRecordingSender } from '../../src/push/recordingSender';
import { runPushJob } from '../../src/push/runPushJob';
import { createTestClock } from '../helpers/testApp';
import { startPushHarness, type PushHarness } from './helpers/pushHarness';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';
const POSTS = [101, 102, 103, 104, 105, 106];
const MEMBERS = ['m-1', 'm-2', 'm-3'];
const silent = createLogger('silent');

const waitUntil = async (what: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** The stored checkpoint, recording every save. */
const recording = (checkpoint: PushCheckpoint) => {
  const saves: bigint[] = [];
  return {
    saves,
    checkpoint: {
      read: checkpoint.read,
      save: async (position: bigint) => {
        saves.push(position);
        await checkpoint.save(position);
      },
    } satisfies PushCheckpoint,
  };
};

describe('Given the push trigger in front of the in-process queue, with a checkpoint saved at most once a minute', () => {
  const clock = createTestClock(NOW);
  let harness: PushHarness;
  let stored: PushCheckpoint;
  const opened: Array<{ backend: PushBackend; stop: () => Promise<void> }> = [];

  /** A trigger and queue as createPush wires them, on the push SQLite file in DATA_DIR (one per "process"). */
  const startTrigger = async (checkpoint: PushCheckpoint) => {
    const backend = createPushBackend({
      redisUrl: undefined,
      sqlitePath: path.join(harness.config.dataDir, 'push.sqlite'),
      tuning: { backoffMs: 50 },
      logger: silent,
    });
    const enqueued: PushJob[] = [];
    const queue = {
      ...backend.queue,
      enqueue: async (jobs: PushJob[]) => {
        enqueued.push(...jobs);
        await backend.queue.enqueue(jobs);
      },
    };
    const deps = {
      audience: createPushAudience(harness.readModels),
      queue,
      ledger: backend.ledger,
      sender: createRecordingSender(backend.deliveries, clock.now),
      batchSize: 5,
      now: clock.now,
      logger: silent,
    };
    await backend.queue.start((job) => runPushJob(job, deps));
    const trigger = createPushTrigger({
      eventStore: harness.eventStore,
      queue,
      checkpoint,
      readModels: harness.projections,
      logger: silent,
      checkpointEveryMs: 60_000,
    });
    await trigger.start();
    const stop = async () => {
      await trigger.stop();
      await backend.queue.stop();
      await backend.close();
    };
    opened.push({ backend, stop });
    return { enqueued, backend, stop };
  };

  const fanOutsOf = (jobs: PushJob[]) => jobs.filter((job) => job.name === 'fanOut').map((job) => job.id);
  const publishAll = async () => {
    let last = 0n;
    for (const postId of POSTS) last = await harness.given.published(1, postId, NOW);
    return last;
  };

  beforeEach(async () => {
    harness = await startPushHarness({ mode: 'in-process', now: clock.now, withPush: false });
    stored = createPushCheckpoint(harness.readModels);
    await harness.given.channel(1);
    for (const userId of MEMBERS) await harness.given.joined(userId, 1, LONG_AGO);
  });
  afterEach(async () => {
    for (const { stop } of opened.splice(0)) await stop().catch(() => undefined);
    await harness.stop();
  });

  it('When a burst of posts is fanned out and the trigger stops, then the checkpoint is saved once, on stop, at the last post', async () => {
    const { saves, checkpoint } = recording(stored);
    const trigger = await startTrigger(checkpoint);
    const last = await publishAll();
    await waitUntil('every fan-out queued', () => fanOutsOf(trigger.enqueued).length === POSTS.length);
    expect(saves).toEqual([]);

    await trigger.stop();
    expect(saves).toEqual([last]);
    expect(await stored.read()).toBe(last);
  });

  it('When the trigger dies before saving, then the next one queues the unsaved posts again and every member still gets each post once', async () => {
    const crashed = await startTrigger(stored);
    const last = await publishAll();
    await waitUntil('every post delivered', async () => {
      const counts = await Promise.all(POSTS.map((postId) => crashed.backend.deliveries.countDeliveries(postId)));
      return counts.every((count) => count === MEMBERS.length);
    });
    expect(await stored.read()).toBeUndefined();

    // The next process, on the same files; the dead one never saved (nor stops before the end).
    const next = await startTrigger(stored);
    await waitUntil('the unsaved posts queued again', () => fanOutsOf(next.enqueued).length === POSTS.length);
    await next.stop();
    const delivered = () => Promise.all(POSTS.map((postId) => crashed.backend.deliveries.listDeliveries(postId)));

    expect(fanOutsOf(next.enqueued)).toEqual(POSTS.map((postId) => `fanout-${postId}`));
    expect(await stored.read()).toBe(last);
    expect(await delivered()).toEqual(POSTS.map(() => MEMBERS.map((userId) => ({ userId, times: 1 }))));
  });
});
