import { PUSH_GRACE_PERIOD_MS } from '../../src/access/channelAccess';
import { createTestClock } from '../helpers/testApp';
import { startPushHarness, uniquePrefix, type PushHarness } from './helpers/pushHarness';
import { pushModes, useRedis } from './helpers/pushModes';

const NOW = '2030-02-01T00:00:00.000Z';
const DAY = 24 * 3600 * 1000;
const before = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const LONG_AGO = '2029-01-01T00:00:00.000Z';

describe.each(pushModes)('Given broadcast push on the %s queue', (mode) => {
  const redis = useRedis();
  let harness: PushHarness;
  const clock = createTestClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    harness = await startPushHarness({
      mode,
      redisUrl: redis.url(),
      now: clock.now,
      tuning: { prefix: redis.track(uniquePrefix()) },
    });
  });
  afterEach(() => harness.stop());

  const recipientsOf = async (postId: number) => {
    const deliveries = await harness.push.deliveries.listDeliveries(postId);
    expect(deliveries.filter((delivery) => delivery.times !== 1)).toEqual([]);
    return deliveries.map((delivery) => delivery.userId);
  };

  it('When a post is published in an OPEN broadcast channel, then joined members get it and never-joined and left members do not', async () => {
    const { given } = harness;
    await given.channel(1);
    await given.joined('u-joined', 1, LONG_AGO);
    await given.joined('u-left', 1, LONG_AGO);
    await given.left('u-left', 1, LONG_AGO, before(DAY));
    await given.joined('u-other-channel', 9, LONG_AGO);
    await given.joined('u-after-post', 1, new Date(Date.parse(NOW) + 1).toISOString());
    const position = await given.published(1, 101, NOW);
    await harness.settled(position);
    expect(await recipientsOf(101)).toEqual(['u-joined']);
  });

  it('When a post is published in a gated channel, then entitled members and members within 7 days of losing it get it', async () => {
    const { given } = harness;
    await given.channel(2, { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'pro' });
    const member = async (userId: string, setup: () => Promise<unknown>) => {
      await setup();
      await given.joined(userId, 2, LONG_AGO);
    };
    await member('g-entitled', () => given.granted('g-entitled', 'pro', LONG_AGO));
    await given.granted('g-entitled-not-joined', 'pro', LONG_AGO);
    await member('g-revoked-3d', async () => {
      await given.granted('g-revoked-3d', 'pro', LONG_AGO);
      await given.revoked('g-revoked-3d', 'pro', before(3 * DAY));
    });
    await member('g-revoked-last-ms', async () => {
      await given.granted('g-revoked-last-ms', 'pro', LONG_AGO);
      await given.revoked('g-revoked-last-ms', 'pro', before(PUSH_GRACE_PERIOD_MS - 1));
    });
    await member('g-revoked-7d', async () => {
      await given.granted('g-revoked-7d', 'pro', LONG_AGO);
      await given.revoked('g-revoked-7d', 'pro', before(PUSH_GRACE_PERIOD_MS));
    });
    await member('g-expired-6d', () => given.granted('g-expired-6d', 'pro', LONG_AGO, before(6 * DAY)));
    await member('g-expired-8d', () => given.granted('g-expired-8d', 'pro', LONG_AGO, before(8 * DAY)));
    await member('g-restored', async () => {
      await given.granted('g-restored', 'pro', LONG_AGO);
      await given.revoked('g-restored', 'pro', before(30 * DAY));
      await given.granted('g-restored', 'pro', before(DAY));
    });
    await member('g-never-entitled', async () => {});
    await member('g-other-entitlement', () => given.granted('g-other-entitlement', 'basic', LONG_AGO));
    const position = await given.published(2, 201, NOW);
    await harness.settled(position);
    expect(await recipientsOf(201)).toEqual([
      'g-entitled',
      'g-expired-6d',
      'g-restored',
      'g-revoked-3d',
      'g-revoked-last-ms',
    ]);
  });

  it('When the clock crosses the end of the 7-day grace window between two posts, then the first reaches the member and the second does not', async () => {
    const { given } = harness;
    const lostAt = '2030-01-10T12:00:00.000Z';
    await given.channel(3, { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'pro' });
    await given.granted('g-lapsing', 'pro', LONG_AGO, lostAt);
    await given.joined('g-lapsing', 3, LONG_AGO);
    clock.set(new Date(Date.parse(lostAt) + PUSH_GRACE_PERIOD_MS - 1).toISOString());
    await harness.settled(await given.published(3, 301, clock.now().toISOString()));
    clock.set(new Date(Date.parse(lostAt) + PUSH_GRACE_PERIOD_MS).toISOString());
    await harness.settled(await given.published(3, 302, clock.now().toISOString()));
    expect(await recipientsOf(301)).toEqual(['g-lapsing']);
    expect(await recipientsOf(302)).toEqual([]);
  });

  it('When posts are edited, pinned, unpinned and deleted, or posted in a GROUP channel, then no push is sent for them', async () => {
    const { given } = harness;
    await given.channel(4);
    await given.channel(5, { kind: 'GROUP' });
    await given.joined('u-member', 4, LONG_AGO);
    await given.joined('u-member', 5, LONG_AGO);
    await harness.settled(await given.published(4, 401, NOW));
    await harness.settled(await given.postChanged(4, 401, NOW));
    await harness.settled(await given.published(5, 501, NOW));
    expect(await harness.push.deliveries.listDeliveries(401)).toEqual([{ userId: 'u-member', times: 1 }]);
    expect(await recipientsOf(501)).toEqual([]);
  });

  it('When more members joined than one batch holds, then every member gets the post exactly once', async () => {
    const { given } = harness;
    await given.channel(6);
    const userIds = Array.from({ length: 23 }, (_, index) => `m-${String(index).padStart(3, '0')}`);
    for (const userId of userIds) await given.joined(userId, 6, LONG_AGO);
    await harness.settled(await given.published(6, 601, NOW));
    expect(await recipientsOf(601)).toEqual(userIds);
  });
});
