import { Queue } from 'bullmq';
import { createTestClock } from '../helpers/testApp';
import { createGateSender } from './helpers/gateSender';
import { startPushHarness, uniquePrefix, type PushHarness } from './helpers/pushHarness';
import { pushModes, useRedis } from './helpers/pushModes';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';
const members = Array.from({ length: 30 }, (_, index) => `m-${String(index).padStart(3, '0')}`);
const leaver = members[members.length - 1];

describe.each(pushModes)('Given a fan-out running on the %s queue', (mode) => {
  const redis = useRedis();
  let harness: PushHarness;
  let gate: ReturnType<typeof createGateSender>;
  let prefix: string;

  /** On BullMQ the fan-out pages ahead of the deliveries: wait until every page is queued, leaver included. */
  const allPagesQueued = async () => {
    if (mode !== 'bullmq') return;
    const queue = new Queue('push', { connection: { url: redis.url() }, prefix });
    try {
      while ((await queue.getJobState('fanout-101')) !== 'completed')
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await queue.close();
    }
  };

  beforeEach(async () => {
    gate = createGateSender(1);
    prefix = redis.track(uniquePrefix());
    harness = await startPushHarness({
      mode,
      redisUrl: redis.url(),
      now: createTestClock(NOW).now,
      batchSize: 5,
      tuning: { prefix, concurrency: 2, wrapSender: gate.wrap },
    });
    await harness.given.channel(1);
    for (const userId of members) await harness.given.joined(userId, 1, LONG_AGO);
  });
  afterEach(async () => {
    gate.resume();
    await harness.stop();
  });

  it('When a member leaves while the sender is paused from the first batch on, then no batch handed to the sender after the leave includes them', async () => {
    const published = await harness.given.published(1, 101, NOW);
    await gate.paused;
    await allPagesQueued();
    const callsBeforeLeave = gate.calls.length;
    await harness.given.left(leaver, 1, LONG_AGO, NOW);
    gate.resume();
    await harness.settled(published);

    const callsAfterLeave = gate.calls.slice(callsBeforeLeave);
    expect(callsAfterLeave.length).toBeGreaterThan(0);
    expect(callsAfterLeave.filter((call) => call.userIds.includes(leaver))).toEqual([]);
    const deliveries = await harness.push.deliveries.listDeliveries(101);
    expect(deliveries).toEqual(members.filter((userId) => userId !== leaver).map((userId) => ({ userId, times: 1 })));
  });
});
