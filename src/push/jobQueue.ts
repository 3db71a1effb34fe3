import type { PushJob, RunningJob } from './pushJobs';

export type FailedJob = { id: string; name: string; data: unknown; reason: string; attemptsMade: number };

/**
 * The queue port. Two adapters run the same job handler: BullMQ on Redis and an
 * in-process queue. Jobs with an id already queued or running are not added twice; a job
 * whose id exhausted its attempts earlier runs again when enqueued again.
 */
export type JobQueue = {
  /**
   * Resolves once the jobs can no longer be lost: stored in Redis (BullMQ), or
   * finished — completed or failed for good — for the in-process queue, which keeps
   * nothing across a restart. The trigger advances its checkpoint only after this.
   */
  enqueue: (jobs: PushJob[]) => Promise<void>;
  start: (handler: (job: RunningJob) => Promise<void>) => Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop: () => Promise<void>;
  /** Jobs queued, delayed for a retry, or running. */
  pendingCount: () => Promise<number>;
  /** Jobs that exhausted their attempts, with the last failure reason. */
  failedJobs: () => Promise<FailedJob[]>;
  /** How many jobs exhausted their attempts (a count: cheap enough for every metrics scrape). */
  failedCount: () => Promise<number>;
};

export type RetryPolicy = { attempts: number; backoffMs: number };
