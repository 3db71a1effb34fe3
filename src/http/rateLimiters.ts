import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger';

export type Budget = { name: string; points: number; durationSeconds: number };

/** Consumes `cost` points of `key`; resolves to null when allowed, else the wait in ms before a retry. */
export type Limiter = (key: string, cost?: number) => Promise<number | null>;

/**
 * Rate limiters from rate-limiter-flexible. With Redis they are shared by every node (a user's
 * budget holds across api nodes); each has an in-memory insurance limiter with the same budget,
 * used while Redis is down or not yet connected (`rejectIfRedisNotReady`), so a Redis outage
 * makes limits per node for a while instead of failing requests.
 */
export const createLimiterFactory = (deps: { redisUrl: string | undefined; logger: Logger; keyPrefix?: string }) => {
  const keyPrefix = deps.keyPrefix ?? 'comm:rl';
  let client: Redis | undefined;
  if (deps.redisUrl) {
    // No offline queue: a command while Redis is away fails at once and the insurance limiter answers.
    client = new Redis(deps.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    client.on('error', (error: Error) => deps.logger.warn({ err: error }, 'rate-limit redis error'));
  }

  const create = (budget: Budget): Limiter | undefined => {
    if (budget.points <= 0) return undefined;
    const options = {
      points: budget.points,
      duration: budget.durationSeconds,
      keyPrefix: `${keyPrefix}:${budget.name}`,
    };
    const memory = new RateLimiterMemory(options);
    const limiter: RateLimiterAbstract = client
      ? new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: memory, rejectIfRedisNotReady: true })
      : memory;
    return async (key, cost = 1) => {
      try {
        await limiter.consume(key, Math.min(cost, budget.points));
        return null;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(rejection.msBeforeNext, 1);
        throw rejection;
      }
    };
  };

  const close = async (): Promise<void> => {
    if (client) client.disconnect();
  };

  return { create, close };
};

export type LimiterFactory = ReturnType<typeof createLimiterFactory>;
