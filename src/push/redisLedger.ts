import type IORedis from 'ioredis';
import { LEDGER_TTL_SECONDS, SENT, type DeliveryLedger } from './deliveryLedger';

// One hash per post (field userId -> claim token or "sent"); scripts keep claim/release atomic.
const CLAIM = `
local out = {}
for i = 3, #ARGV do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if not current then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[1])
    out[#out + 1] = ARGV[i]
  elseif current == ARGV[1] then
    out[#out + 1] = ARGV[i]
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return out`;

const RELEASE = `
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0`;

export const createRedisLedger = (redis: IORedis, keyPrefix: string): DeliveryLedger => {
  const keyOf = (postId: number) => `${keyPrefix}:ledger:${postId}`;
  return {
    claim: async (postId, userIds, token) => {
      if (userIds.length === 0) return [];
      return (await redis.eval(CLAIM, 1, keyOf(postId), token, LEDGER_TTL_SECONDS, ...userIds)) as string[];
    },
    markSent: async (postId, userIds) => {
      if (userIds.length === 0) return;
      await redis.hset(keyOf(postId), Object.fromEntries(userIds.map((userId) => [userId, SENT])));
    },
    release: async (postId, userIds, token) => {
      if (userIds.length === 0) return;
      await redis.eval(RELEASE, 1, keyOf(postId), token, ...userIds);
    },
  };
};
