import { deleteKeys, getRedisUrl } from '../../helpers/redis';
import type { PushMode } from './pushHarness';

export const pushModes: PushMode[] = ['in-process', 'bullmq'];

/** Per test file: a reachable Redis (real one, or a private redis-server) and cleanup of the prefixes used. */
export const useRedis = () => {
  let redis: { url: string; close: () => Promise<void> } | undefined;
  const prefixes: string[] = [];
  beforeAll(async () => {
    redis = await getRedisUrl();
  });
  afterAll(async () => {
    if (!redis) return;
    for (const prefix of prefixes) await deleteKeys(redis.url, prefix);
    await redis.close();
  });
  return {
    url: () => {
      if (!redis) throw new Error('Redis is not ready');
      return redis.url;
    },
    track: (prefix: string) => {
      prefixes.push(prefix);
      return prefix;
    },
  };
};
