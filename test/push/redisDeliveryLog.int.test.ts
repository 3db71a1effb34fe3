import IORedis from 'ioredis';
import { LEDGER_TTL_SECONDS } from '../../src/push/deliveryLedger';
import { createRedisDeliveryLog } from '../../src/push/redisDeliveryLog';
import { deleteKeys, getRedisUrl } from '../helpers/redis';
import { uniquePrefix } from './helpers/pushHarness';

describe('Given the recording sender’s delivery log on a real Redis', () => {
  let redis: IORedis;
  let url: string;
  let closeRedis: () => Promise<void>;
  const prefix = uniquePrefix();
  beforeAll(async () => {
    ({ url, close: closeRedis } = await getRedisUrl());
    redis = new IORedis(url);
  });
  afterAll(async () => {
    await deleteKeys(url, prefix);
    redis.disconnect();
    await closeRedis();
  });

  it('When deliveries of a post are recorded, then they count per member and the record expires with the ledger (7 days)', async () => {
    const log = createRedisDeliveryLog(redis, prefix);
    await log.record(
      { postId: 5, channelId: 1, publishedAt: '2030-01-01T00:00:00.000Z', userIds: ['b', 'a'], deliveryId: 'd1' },
      new Date(),
    );
    await log.record(
      { postId: 5, channelId: 1, publishedAt: '2030-01-01T00:00:00.000Z', userIds: ['a'], deliveryId: 'd2' },
      new Date(),
    );
    expect(await log.listDeliveries(5)).toEqual([
      { userId: 'a', times: 2 },
      { userId: 'b', times: 1 },
    ]);
    const ttl = await redis.ttl(`${prefix}:deliveries:5`);
    expect(ttl).toBeGreaterThan(LEDGER_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(LEDGER_TTL_SECONDS);
  });
});
