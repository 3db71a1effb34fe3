import type IORedis from 'ioredis';
import { LEDGER_TTL_SECONDS } from './deliveryLedger';
import type { DeliveryLog } from './deliveryLog';

/**
 * Recorded deliveries in Redis: one hash per post, userId -> number of times pushed. A
 * post's record expires with its ledger entry, so Redis does not grow with every post ever sent.
 */
export const createRedisDeliveryLog = (redis: IORedis, keyPrefix: string): DeliveryLog => {
  const keyOf = (postId: number) => `${keyPrefix}:deliveries:${postId}`;
  return {
    record: async (delivery) => {
      const pipeline = redis.pipeline();
      delivery.userIds.forEach((userId) => pipeline.hincrby(keyOf(delivery.postId), userId, 1));
      pipeline.expire(keyOf(delivery.postId), LEDGER_TTL_SECONDS);
      const results = await pipeline.exec();
      const failure = results?.find(([error]) => error);
      if (failure?.[0]) throw failure[0];
    },
    listDeliveries: async (postId) =>
      Object.entries(await redis.hgetall(keyOf(postId)))
        .map(([userId, times]) => ({ userId, times: Number(times) }))
        .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)),
    countDeliveries: (postId) => redis.hlen(keyOf(postId)),
  };
};
