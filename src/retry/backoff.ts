import { setTimeout as delay } from 'node:timers/promises';

/** Exponential backoff: `firstMs`, doubling each attempt, capped at `maxMs`; jitter spreads retrying peers apart. */
export type Backoff = { firstMs: number; maxMs: number; jitter?: boolean };

/** The delay before retry number `attempt` (1-based). */
export const backoffDelayMs = (backoff: Backoff, attempt: number): number => {
  const exponential = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempt - 1));
  return backoff.jitter ? exponential * (0.5 + Math.random() / 2) : exponential;
};

/** Sleeps `ms`; resolves false at once when `signal` aborts (a stopping service must not wait out a backoff). */
export const sleep = async (ms: number, signal?: AbortSignal): Promise<boolean> => {
  if (signal?.aborted) return false;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
};

export class RetryAbortedError extends Error {
  constructor(readonly lastError: unknown) {
    super('Retry stopped before an attempt succeeded');
    this.name = 'RetryAbortedError';
  }
}

export type RetryOptions = {
  backoff: Backoff;
  /** Attempts in all, the first included; unbounded when absent. */
  attempts?: number;
  signal?: AbortSignal;
  /** False for errors that another attempt cannot fix: they are thrown at once. */
  retryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
};

/**
 * Calls `work` until it succeeds, waiting with backoff between attempts. Throws the last
 * error once attempts run out or it is not retryable, and `RetryAbortedError` when aborted.
 */
export const retryWithBackoff = async <T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      const exhausted = options.attempts !== undefined && attempt >= options.attempts;
      if (exhausted || (options.retryable && !options.retryable(error))) throw error;
      const delayMs = backoffDelayMs(options.backoff, attempt);
      options.onRetry?.(error, attempt, delayMs);
      if (!(await sleep(delayMs, options.signal))) throw new RetryAbortedError(error);
    }
  }
};

export type Restarter = {
  /** Schedules one restart after the next delay; a restart already scheduled absorbs the call. */
  schedule: (error: unknown) => void;
  /** Call after a successful start: the next failure waits the first delay again (and a cancelled restarter works again). */
  reset: () => void;
  /** Cancels a scheduled restart, and any a restart still running would schedule (on stop). */
  cancel: () => void;
};

/**
 * For long-lived workers (subscriptions, runners): restarts `start` after each failure with
 * growing delays, until a start succeeds or `cancel` is called.
 */
export const createRestarter = (options: {
  backoff: Backoff;
  start: () => Promise<void>;
  onRestartScheduled?: (error: unknown, delayMs: number) => void;
}): Restarter => {
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const schedule = (error: unknown) => {
    if (timer || cancelled) return;
    attempt += 1;
    const delayMs = backoffDelayMs(options.backoff, attempt);
    options.onRestartScheduled?.(error, delayMs);
    timer = setTimeout(() => {
      timer = undefined;
      options.start().catch(schedule);
    }, delayMs);
  };
  return {
    schedule,
    reset: () => {
      attempt = 0;
      cancelled = false;
    },
    cancel: () => {
      // A restart already running may still fail after this: `cancelled` keeps it from scheduling another.
      cancelled = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
};
