import { createLogger } from '../../src/logger';
import { createPush, type Push } from '../../src/push/push';
import { createTestClock } from '../helpers/testApp';
import { startPushHarness, type PushHarness } from './helpers/pushHarness';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';
const members = Array.from({ length: 12 }, (_, index) => `m-${String(index).padStart(3, '0')}`);
const once = members.map((userId) => ({ userId, times: 1 }));

const waitUntil = async (what: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('Given two push instances on one read-model store', () => {
  let harness: PushHarness;
  let other: Push | undefined;
  const clock = createTestClock(NOW);
  beforeEach(async () => {
    harness = await startPushHarness({ mode: 'in-process', now: clock.now, batchSize: 5 });
    await harness.given.channel(1);
    for (const userId of members) await harness.given.joined(userId, 1, LONG_AGO);
  });
  afterEach(async () => {
    await other?.stop();
    other = undefined;
    await harness.stop();
  });

  it('When both run, then one runs the trigger and the other stands by; when the active one stops, the other takes the trigger over from its checkpoint and every member gets each post once', async () => {
    other = createPush({
      config: harness.config,
      eventStore: harness.eventStore,
      readModels: harness.readModels,
      projections: harness.projections,
      now: clock.now,
      logger: createLogger('silent'),
      leaseOwner: 'the-other-push-process',
    });
    await other.start();
    const standby = other;
    expect([harness.push.leaseRole?.(), standby.leaseRole?.()]).toEqual(['active', 'standby']);
    const first = await harness.given.published(1, 101, NOW);
    await harness.settled(first);

    await harness.stopPush();
    await waitUntil('the standby to take the trigger over', () => standby.leaseRole?.() === 'active');
    const second = await harness.given.published(1, 102, NOW);
    await waitUntil('the fan-out of the later post', async () => {
      const status = await standby.status();
      return status.checkpoint !== undefined && status.checkpoint >= second && status.pendingJobs === 0;
    });

    expect(await standby.deliveries.listDeliveries(101)).toEqual(once);
    expect(await standby.deliveries.listDeliveries(102)).toEqual(once);
  });
});
