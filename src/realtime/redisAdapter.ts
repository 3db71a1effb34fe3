import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server } from 'socket.io';
import { closeRedis } from '../cluster/closeRedis';
import type { Logger } from '../logger';

/**
 * Shares rooms between server processes through Redis (cross-node room queries,
 * `serverSideEmit`, `disconnectSockets`). Deltas do not travel through it: each
 * process has its own log subscription and emits only to its local sockets.
 */
export const attachRedisAdapter = (io: Server, redisUrl: string, logger: Logger) => {
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on('error', (error) => logger.warn({ err: error }, 'realtime redis adapter connection error'));
  }
  io.adapter(createAdapter(pub, sub));
  return {
    close: async () => {
      await Promise.allSettled([closeRedis(pub), closeRedis(sub)]);
    },
  };
};
