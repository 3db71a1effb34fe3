import { PUSH_TRIGGER_PROJECTION } from '../../src/push/pushCheckpoint';
import type { PushSender } from '../../src/push/pushSender';
import { createTestClock } from '../helpers/testApp';
import { startPushHarness, type PushHarness } from './helpers/pushHarness';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';

describe('Given in-process push whose sender is down, with a retry backoff of a minute', () => {
  let harness: PushHarness;
  let senderDown: boolean;
  let failedSends: number;
  const downWhileFlagged = (inner: PushSender): PushSender => ({
    send: async (delivery) => {
      if (senderDown) {
        failedSends += 1;
        throw new Error('webhook unreachable');
      }
      await inner.send(delivery);
    },
  });

  beforeEach(async () => {
    senderDown = true;
    failedSends = 0;
    harness = await startPushHarness({
      mode: 'in-process',
      now: createTestClock(NOW).now,
      tuning: { backoffMs: 60_000, wrapSender: downWhileFlagged },
    });
    await harness.given.channel(1);
    await harness.given.joined('member-1', 1, LONG_AGO);
  });
  afterEach(() => harness.stop());

  it('When push stops while a delivery waits to retry, then it stops at once without checkpointing the post, and the next start delivers it once', async () => {
    const published = await harness.given.published(1, 101, NOW);
    while (failedSends === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    // Would wait out the minute of backoff (and fail this test on its timeout) if the wait were not cut short.
    await harness.stopPush();
    const checkpoint = await harness.readModels.readCheckpoint(PUSH_TRIGGER_PROJECTION, 1);
    expect(checkpoint === undefined || checkpoint < published).toBe(true);
    expect(await harness.push.failedJobs()).toEqual([]);

    senderDown = false;
    await harness.startPush({ wrapSender: downWhileFlagged });
    await harness.settled(published);
    expect(await harness.push.deliveries.listDeliveries(101)).toEqual([{ userId: 'member-1', times: 1 }]);
  });
});
