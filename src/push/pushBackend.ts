import type { Logger } from '../logger';
import { closeRedis } from '../cluster/closeRedis';
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
import { checkpointInBackground } from '../walCheckpoints/backgroundCheckpoints';

export type PushTuning = {
  /** BullMQ key prefix. */
  prefix: string;
  /**
   * Prefix of the ledger and delivery-log keys: our own namespace, outside BullMQ's (whose
   * tooling may scan or clean it). Defaults to `push`, or `<prefix>-push` when only `prefix`
   * is given (tests isolate a run by its prefix).
   */
  keyPrefix: string;
  queueName: string;
  concurrency: number;
  attempts: number;
  backoffMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
};

const defaults: Omit<PushTuning, 'keyPrefix'> = {
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
  const keyPrefix = options.tuning?.keyPrefix ?? (tuning.prefix === defaults.prefix ? 'push' : `${tuning.prefix}-push`);
  const retry = { attempts: tuning.attempts, backoffMs: tuning.backoffMs };
  if (options.redisUrl) {
    const redis = connectRedis(options.redisUrl);
    redis.on('error', () => {});
    const keys = `${keyPrefix}:${tuning.queueName}`;
    return {
      queue: createBullmqQueue({ ...tuning, redisUrl: options.redisUrl, retry, logger: options.logger }),
      ledger: createRedisLedger(redis, keys),
      deliveries: createRedisDeliveryLog(redis, keys),
      close: async () => {
        await closeRedis(redis);
      },
    };
  }
  const db = openPushDatabase(options.sqlitePath);
  const stopCheckpoints = checkpointInBackground(db, options.sqlitePath);
  return {
    queue: createInProcessQueue({ retry, logger: options.logger }),
    ledger: createSqliteLedger(db),
    deliveries: createSqliteDeliveryLog(db),
    close: async () => {
      await stopCheckpoints();
      db.close();
    },
  };
};
