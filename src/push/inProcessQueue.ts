import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logger';
import type { FailedJob, JobQueue, RetryPolicy } from './jobQueue';
import { PushQueueStoppedError } from './pushErrors';
import type { PushJob, RunningJob } from './pushJobs';

/**
 * Embedded queue: runs each job as soon as it is enqueued, retrying with exponential
 * backoff, and resolves `enqueue` when the jobs are done. Nothing survives a restart,
 * which is why the trigger only checkpoints past a post once its fan-out finished.
 */
export const createInProcessQueue = (deps: { retry: RetryPolicy; logger: Logger }): JobQueue => {
  const running = new Map<string, Promise<void>>();
  const failed: FailedJob[] = [];
  let handler: ((job: RunningJob) => Promise<void>) | undefined;
  let stopping = false;
  // Aborts the backoff waits on stop: a job waiting to retry (say, on a webhook that is down) must not hold shutdown.
  let stopped = new AbortController();

  const runWithRetries = async (job: PushJob) => {
    let data = job.data;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (!handler) throw new Error('In-process push queue is not started');
        const update = async (next: PushJob['data']) => {
          data = next;
        };
        await handler({ ...job, data, attempt, update } as RunningJob);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (stopping) throw new PushQueueStoppedError(job.id);
        if (attempt >= deps.retry.attempts) {
          failed.push({ id: job.id, name: job.name, data, reason, attemptsMade: attempt });
          deps.logger.error({ jobId: job.id, attempt, reason }, 'push job failed for good');
          return;
        }
        deps.logger.warn({ jobId: job.id, attempt, reason }, 'push job failed, retrying');
        await delay(deps.retry.backoffMs * 2 ** (attempt - 1), undefined, { signal: stopped.signal }).catch(() => {
          throw new PushQueueStoppedError(job.id);
        });
      }
    }
  };

  const enqueueOne = (job: PushJob): Promise<void> => {
    const existing = running.get(job.id);
    if (existing) return existing;
    const run = runWithRetries(job).finally(() => running.delete(job.id));
    running.set(job.id, run);
    return run;
  };

  return {
    enqueue: async (jobs) => {
      if (stopping) throw new Error('In-process push queue is stopping');
      await Promise.all(jobs.map(enqueueOne));
    },
    start: async (next) => {
      handler = next;
      stopping = false;
      stopped = new AbortController();
    },
    stop: async () => {
      stopping = true;
      stopped.abort();
      await Promise.allSettled([...running.values()]);
    },
    pendingCount: async () => running.size,
    failedJobs: async () => [...failed],
  };
};
