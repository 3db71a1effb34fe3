import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger';

export type Budget = { name: string; points: number; durationSeconds: number };

/** Consumes `cost` points of `key`; resolves to null when allowed, else the wait in ms before a retry. */
export type Limiter = (key: string, cost?: number) => Promise<number | null>;

/** How long a check waits for Redis before the insurance limiter answers it. */
export const REDIS_CHECK_TIMEOUT_MS = 200;

/** After a check that waited out the timeout, how long checks skip Redis and ask the insurance limiter. */
export const REDIS_AWAY_MS = 5000;

/**
 * Rate limiters from rate-limiter-flexible. With Redis they are shared by every node (a user's
 * budget holds across api nodes); each has an in-memory insurance limiter with the same budget,
 * used while Redis is down or not yet connected (`rejectIfRedisNotReady`), so a Redis outage
 * makes limits per node for a while instead of failing requests. A Redis that hangs (stopped,
 * or cut off by the network with the connection still open) is the same outage: a command
 * times out after REDIS_CHECK_TIMEOUT_MS, and for REDIS_AWAY_MS the checks go straight to
 * the insurance limiter instead of each waiting out the timeout.
 */
export const createLimiterFactory = (deps: { redisUrl: string | undefined; logger: Logger; keyPrefix?: string }) => {
  const keyPrefix = deps.keyPrefix ?? 'comm:rl';
  let client: Redis | undefined;
  let awayUntil = 0;
  if (deps.redisUrl) {
    // No offline queue: a command while Redis is away fails at once and the insurance limiter answers.
    client = new Redis(deps.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
      commandTimeout: REDIS_CHECK_TIMEOUT_MS,
    });
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
      const startedAt = Date.now();
      const viaRedis = limiter !== memory && startedAt >= awayUntil;
      try {
        await (viaRedis ? limiter : memory).consume(key, Math.min(cost, budget.points));
        return null;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(rejection.msBeforeNext, 1);
        throw rejection;
      } finally {
        // Only a command that timed out takes this long: the insurance limiter answered it.
        if (viaRedis && Date.now() - startedAt >= REDIS_CHECK_TIMEOUT_MS && Date.now() >= awayUntil) {
          awayUntil = Date.now() + REDIS_AWAY_MS;
          deps.logger.warn(
            { awayMs: REDIS_AWAY_MS },
            'rate-limit redis did not answer in time; limits per node for now',
          );
        }
      }
    };
  };

  const close = async (): Promise<void> => {
    if (client) client.disconnect();
  };

  return { create, close };
};

export type LimiterFactory = ReturnType<typeof createLimiterFactory>;
