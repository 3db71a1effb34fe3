import type { Logger } from '../logger';
import { createBullmqQueue, connectRedis } from './bullmqQueue';
import type { DeliveryLedger } from './deliveryLedger';
import type { DeliveryLog } from './deliveryLog';
import { createInProcessQueue } from './inProcessQueue';
import type { JobQueue } from './jobQueue';
import { openPushDatabase } from './pushDatabase';
import { createRedisDeliveryLog } from './redisDeliveryLog';
import { createRedisLedger } from './redisLedger';
import { createSqliteDeliveryLog } from './sqliteDeliveryLog';
import { createSqliteLedger } from './sqliteLedger';

export type PushTuning = {
  /** BullMQ key prefix, also used for the ledger and delivery-log keys. */
  prefix: string;
  queueName: string;
  concurrency: number;
  attempts: number;
  backoffMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
};

const defaults: PushTuning = {
  prefix: 'bull',
  queueName: 'push',
  concurrency: 8,
  attempts: 8,
  backoffMs: 1000,
  lockDurationMs: 30000,
  stalledIntervalMs: 30000,
};

export type PushBackend = {
  queue: JobQueue;
  ledger: DeliveryLedger;
  deliveries: DeliveryLog;
  close: () => Promise<void>;
};

/** Redis (BullMQ, ledger, delivery log) when a Redis URL is given, else the in-process queue and a SQLite file. */
export const createPushBackend = (options: {
  redisUrl: string | undefined;
  sqlitePath: string;
  tuning?: Partial<PushTuning>;
  logger: Logger;
}): PushBackend => {
  const tuning = { ...defaults, ...options.tuning };
  const retry = { attempts: tuning.attempts, backoffMs: tuning.backoffMs };
  if (options.redisUrl) {
    const redis = connectRedis(options.redisUrl);
    redis.on('error', () => {});
    const keyPrefix = `${tuning.prefix}:${tuning.queueName}`;
    return {
      queue: createBullmqQueue({ ...tuning, redisUrl: options.redisUrl, retry, logger: options.logger }),
      ledger: createRedisLedger(redis, keyPrefix),
      deliveries: createRedisDeliveryLog(redis, keyPrefix),
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  const db = openPushDatabase(options.sqlitePath);
  return {
    queue: createInProcessQueue({ retry, logger: options.logger }),
    ledger: createSqliteLedger(db),
    deliveries: createSqliteDeliveryLog(db),
    close: async () => {
      db.close();
    },
  };
};
