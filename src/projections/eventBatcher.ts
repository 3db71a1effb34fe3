import type { RecordedEvent } from '../eventStore/eventStore';

export type EventBatcher = {
  /** Buffers the event; returns the commit's promise when that filled the batch, else undefined. */
  add: (event: RecordedEvent) => Promise<void> | undefined;
  /** Commits what is buffered, after any commit in flight. */
  flush: (persistEmpty?: boolean) => Promise<void>;
  /** Resolves once no commit is in flight; never rejects. */
  idle: () => Promise<void>;
  /** Drops the buffer and refuses every later event and commit. */
  halt: () => void;
};

/**
 * Groups one attempt's events into batches, committed one at a time in log order: when
 * the batch is full, or on the next turn of the event loop once the subscription stops
 * handing events over (idle) while it is live. While it catches up, it pauses between the
 * pages it reads, which is no reason to commit: batches stay full-sized (few, large
 * transactions) until the catch-up ends with an explicit `flush`. A failed commit halts
 * the batcher at once, so no later batch can commit past the failed one; the attempt is over.
 */
export const createEventBatcher = (options: {
  batchSize: number;
  /** `persistEmpty` false: the batch may skip its transaction when nothing in it concerns the projection. */
  commit: (batch: RecordedEvent[], persistEmpty: boolean) => Promise<void>;
  /** Whether a pause in the events means the log is idle (the subscription is live). */
  live: () => boolean;
  /** After an idle flush committed. */
  onIdleFlushed: () => void;
  /** Called once, synchronously, when a commit fails. */
  onFailed: (error: Error) => void;
}): EventBatcher => {
  let buffer: RecordedEvent[] = [];
  let committing: Promise<void> | undefined;
  let idleFlushScheduled = false;
  let halted = false;

  const halt = () => {
    halted = true;
    buffer = [];
  };

  const flush = (persistEmpty = true): Promise<void> => {
    if (committing) return committing.then(() => flush(persistEmpty));
    if (buffer.length === 0 || halted) return Promise.resolve();
    const batch = buffer;
    buffer = [];
    committing = options
      .commit(batch, persistEmpty)
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        if (!halted) {
          halt();
          options.onFailed(failure);
        }
        throw failure;
      })
      .finally(() => {
        committing = undefined;
      });
    return committing;
  };

  const scheduleIdleFlush = () => {
    if (idleFlushScheduled || !options.live()) return;
    idleFlushScheduled = true;
    setImmediate(() => {
      idleFlushScheduled = false;
      flush(false).then(options.onIdleFlushed, () => undefined);
    });
  };

  const add = (event: RecordedEvent) => {
    if (halted) return undefined;
    buffer.push(event);
    if (buffer.length >= options.batchSize) return flush(false);
    scheduleIdleFlush();
    return undefined;
  };

  const idle = () => (committing ?? Promise.resolve()).catch(() => undefined);

  return { add, flush, idle, halt };
};
