import type { Logger } from '../logger';
import { retryWithBackoff, RetryAbortedError } from '../retry/backoff';
import type { FailedJob, JobQueue, RetryPolicy } from './jobQueue';
import { PushQueueStoppedError } from './pushErrors';
import type { PushJob, RunningJob } from './pushJobs';

/**
 * Embedded queue: runs each job as soon as it is enqueued, retrying with exponential
 * backoff, and resolves `enqueue` when the jobs are done. Nothing survives a restart,
 * which is why the trigger only checkpoints past a post once its fan-out finished.
 */
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createInProcessQueue = (deps: { retry: RetryPolicy; logger: Logger }): JobQueue => {
  const running = new Map<string, Promise<void>>();
  const failed: FailedJob[] = [];
  let handler: ((job: RunningJob) => Promise<void>) | undefined;
  let stopping = false;
  // Aborts the backoff waits on stop: a job waiting to retry (say, on a webhook that is down) must not hold shutdown.
  let stopped = new AbortController();

  const runWithRetries = async (job: PushJob) => {
    let data = job.data;
    let attemptsMade = 0;
    const run = async (attempt: number) => {
      attemptsMade = attempt;
      if (!handler) throw new Error('In-process push queue is not started');
      const update = async (next: PushJob['data']) => {
        data = next;
      };
      await handler({ ...job, data, attempt, update } as RunningJob);
    };
    const { attempts, backoffMs } = deps.retry;
    try {
      await retryWithBackoff(run, {
        // Doubling from backoffMs each attempt, as BullMQ's exponential backoff does.
        backoff: { firstMs: backoffMs, maxMs: backoffMs * 2 ** Math.max(0, attempts - 1) },
        attempts,
        signal: stopped.signal,
        retryable: () => !stopping,
        onRetry: (error, attempt) =>
          deps.logger.warn({ jobId: job.id, attempt, reason: reasonOf(error) }, 'push job failed, retrying'),
      });
    } catch (error) {
      if (stopping || error instanceof RetryAbortedError) throw new PushQueueStoppedError(job.id);
      const reason = reasonOf(error);
      failed.push({ id: job.id, name: job.name, data, reason, attemptsMade });
      deps.logger.error({ jobId: job.id, attempt: attemptsMade, reason }, 'push job failed for good');
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
    failedCount: async () => failed.length,
  };
};
