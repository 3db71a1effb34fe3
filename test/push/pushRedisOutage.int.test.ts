import { PUSH_TRIGGER_PROJECTION } from '../../src/push/pushCheckpoint';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis';
import { createTestClock } from '../helpers/testApp';
import { createGateSender } from './helpers/gateSender';
import { startPushHarness, uniquePrefix, type PushHarness } from './helpers/pushHarness';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';
const members = Array.from({ length: 12 }, (_, index) => `m-${String(index).padStart(3, '0')}`);
const everyoneOnce = members.map((userId) => ({ userId, times: 1 }));

describe('Given push on BullMQ with a Redis that goes away for a while', () => {
  let redis: PrivateRedis;
  let harness: PushHarness;
  let gate: ReturnType<typeof createGateSender>;

  beforeEach(async () => {
    redis = await startPrivateRedis();
    gate = createGateSender(2);
    harness = await startPushHarness({
      mode: 'bullmq',
      redisUrl: redis.url,
      now: createTestClock(NOW).now,
      batchSize: 5,
      tuning: { prefix: uniquePrefix(), concurrency: 1, wrapSender: gate.wrap },
    });
    await harness.given.channel(1);
    for (const userId of members) await harness.given.joined(userId, 1, LONG_AGO);
  });
  afterEach(async () => {
    gate.resume();
    await redis.start().catch(() => undefined);
    await harness.stop();
    await redis.stop();
  });

  it('When a post is published while Redis is down, then its fan-out waits and completes once Redis is back', async () => {
    gate.resume();
    await redis.stop();
    const published = await harness.given.published(1, 101, NOW);
    const checkpointWhileDown = await harness.readModels.readCheckpoint(PUSH_TRIGGER_PROJECTION, 1);
    await redis.start();
    await harness.settled(published);
    expect(checkpointWhileDown === undefined || checkpointWhileDown < published).toBe(true);
    expect(await harness.push.deliveries.listDeliveries(101)).toEqual(everyoneOnce);
  });

  it('When Redis goes down in the middle of a fan-out, then the batches wait and every member gets the post exactly once', async () => {
    const published = await harness.given.published(1, 101, NOW);
    await gate.paused;
    await redis.stop();
    gate.resume();
    await redis.start();
    await harness.settled(published);
    expect(await harness.push.deliveries.listDeliveries(101)).toEqual(everyoneOnce);
    expect(await harness.push.failedJobs()).toEqual([]);
  });
});
