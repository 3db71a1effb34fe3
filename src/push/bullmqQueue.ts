import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { closeRedis, untilDeadline } from '../cluster/closeRedis';
import type { Logger } from '../logger';
import type { JobQueue, RetryPolicy } from './jobQueue';
import type { PushJob, RunningJob } from './pushJobs';

export type BullmqQueueOptions = {
  redisUrl: string;
  /** BullMQ key prefix; tests use a unique one per run. */
  prefix: string;
  queueName: string;
  concurrency: number;
  retry: RetryPolicy;
  /** How long a worker's job lock lives without renewal; a killed worker's job is retried after it. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  logger: Logger;
};

/** Commands wait for a reconnect instead of failing, so jobs wait out a Redis outage. */
export const connectRedis = (url: string): IORedis => new IORedis(url, { maxRetriesPerRequest: null });

const CLOSE_TIMEOUT_MS = 1000;

/** BullMQ adapter: jobs live in Redis, retries back off exponentially, exhausted jobs stay in the failed set. */
export const createBullmqQueue = (options: BullmqQueueOptions): JobQueue => {
  const { logger } = options;
  const connection = connectRedis(options.redisUrl);
  connection.on('error', (error) => logger.warn({ err: error.message }, 'push queue redis connection error'));
  const queue = new Queue(options.queueName, {
    connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: options.retry.attempts,
      backoff: { type: 'exponential', delay: options.retry.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  queue.on('error', (error) => logger.warn({ err: error.message }, 'push queue error'));
  let worker: Worker | undefined;
  let workerConnection: IORedis | undefined;

  const toRunning = (job: Job): RunningJob =>
    ({
      name: job.name,
      id: job.id,
      data: job.data as PushJob['data'],
      attempt: job.attemptsMade + 1,
      update: (data: PushJob['data']) => job.updateData(data),
    }) as RunningJob;

  return {
    enqueue: async (jobs) => {
      if (jobs.length === 0) return;
      await queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: { jobId: job.id } })));
      // An id that exhausted its attempts stays in the failed set (7 days) and addBulk skips it
      // silently: a re-trigger (say, after the cause was fixed) must run it again.
      const existing = await Promise.all(jobs.map((job) => queue.getJob(job.id)));
      for (const job of existing) {
        if (job && (await job.isFailed())) await job.retry('failed', { resetAttemptsMade: true });
      }
    },
    start: async (handler) => {
      workerConnection = connectRedis(options.redisUrl);
      workerConnection.on('error', () => {});
      worker = new Worker(options.queueName, (job) => handler(toRunning(job)), {
        connection: workerConnection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.stalledIntervalMs,
      });
      worker.on('error', (error) => logger.warn({ err: error.message }, 'push worker error'));
      worker.on('failed', (job, error) => {
        const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
        logger[final ? 'error' : 'warn']({ jobId: job?.id, reason: error.message, final }, 'push job failed');
      });
    },
    stop: async () => {
      // With Redis down a graceful close waits for a reconnect that may never come and leaves
      // BullMQ's timers and its blocking client reconnecting: close by force (running jobs are
      // retried after their lock expires, as after a crash). Either way bounded, then cut.
      const redisDown = workerConnection?.status !== 'ready' || connection.status !== 'ready';
      await untilDeadline(Promise.allSettled([worker?.close(redisDown), queue.close()]), CLOSE_TIMEOUT_MS);
      // BullMQ's disconnect waits for a client's first connection: with Redis down, forever.
      await untilDeadline(Promise.allSettled([worker?.disconnect(), queue.disconnect()]), CLOSE_TIMEOUT_MS / 2);
      worker = undefined;
      for (const redis of [workerConnection, connection]) if (redis) await closeRedis(redis);
      workerConnection = undefined;
    },
    pendingCount: async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    failedCount: () => queue.getFailedCount(),
    failedJobs: async () =>
      (await queue.getFailed()).map((job) => ({
        id: job.id ?? '',
        name: job.name,
        data: job.data as unknown,
        reason: job.failedReason,
        attemptsMade: job.attemptsMade,
      })),
  };
};
