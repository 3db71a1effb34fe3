/**
 * Saves the push trigger's checkpoint at most once per `everyMs` instead of after every
 * event: each save is a read-model transaction, and the trigger follows every post.
 * `passed` is only called once everything up to that position is durably queued, so a
 * saved checkpoint never passes a post whose fan-out could be lost. What a crash leaves
 * unsaved is queued again on the next start: the fan-out job ids and the delivery ledger
 * make that a no-op.
 */
export const createCheckpointSaver = (deps: {
  save: (position: bigint) => Promise<void>;
  everyMs: number;
  /** A save that `passed` scheduled failed. */
  onError: (error: unknown) => void;
}) => {
  let unsaved: bigint | undefined;
  let timer: NodeJS.Timeout | undefined;
  // One save at a time, in order.
  let saving: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const run = saving.then(async () => {
      if (unsaved === undefined) return;
      const position = unsaved;
      unsaved = undefined;
      await deps.save(position);
    });
    saving = run.catch(() => undefined);
    return run;
  };

  return {
    /** Everything up to `position` is durably queued; saved within `everyMs`. */
    passed: (position: bigint) => {
      // A subscription stopped for a restart may still pass an older position than its successor.
      if (unsaved === undefined || position > unsaved) unsaved = position;
      if (timer) return;
      timer = setTimeout(() => void flush().catch(deps.onError), deps.everyMs);
      timer.unref();
    },
    /** Saves what is unsaved now (on stop). */
    flush,
    /** Forgets what is unsaved (the trigger restarts from the stored checkpoint). */
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
      unsaved = undefined;
    },
  };
};
