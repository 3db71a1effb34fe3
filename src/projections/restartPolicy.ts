import { createRestarter, type Backoff } from '../retry/backoff';
import { ProjectionError } from './projection';

export type RestartPolicy = {
  /** Halts the attempt; restarts it after a backoff unless the error is the projection's own. */
  fail: (error: Error) => void;
  /** A batch committed: the next failure waits the first delay again. */
  succeeded: () => void;
  /** An attempt is starting: failures count again. */
  begin: () => void;
  /** The runner is stopping: a pending restart is cancelled and later failures are ignored. */
  stop: () => void;
  failed: () => boolean;
};

export const PROJECTION_RESTART_BACKOFF: Backoff = { firstMs: 100, maxMs: 10_000 };

/**
 * What a projection runner does when an attempt fails. An event the projection cannot
 * apply (`ProjectionError`) stops it for good: a human must look. Anything else (a busy
 * or unreachable store) is transient: the attempt halts at once, and a new one starts
 * from the stored checkpoint after a backoff, so nothing is lost or applied twice.
 */
export const createRestartPolicy = (options: {
  /** Stops the current attempt now; idempotent. */
  halt: () => void;
  /** Starts a new attempt (after the halted one has wound down). */
  restart: () => Promise<void>;
  onFailed: (error: ProjectionError) => void;
  onRestartScheduled: (error: unknown, delayMs: number) => void;
  backoff?: Backoff;
}): RestartPolicy => {
  let stopping = false;
  let failed = false;
  const restarter = createRestarter({
    backoff: options.backoff ?? PROJECTION_RESTART_BACKOFF,
    start: async () => {
      if (!stopping) await options.restart();
    },
    onRestartScheduled: options.onRestartScheduled,
  });

  const fail = (error: Error) => {
    if (failed || stopping) return;
    options.halt();
    if (error instanceof ProjectionError) {
      failed = true;
      options.onFailed(error);
      return;
    }
    restarter.schedule(error);
  };

  return {
    fail,
    succeeded: restarter.reset,
    begin: () => {
      stopping = false;
      failed = false;
    },
    stop: () => {
      stopping = true;
      restarter.cancel();
    },
    failed: () => failed,
  };
};
