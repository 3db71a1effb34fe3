export type SkippedPositions = {
  /** The position this runner has applied or seen and skipped; ahead of the stored checkpoint while skipping. */
  applied: () => bigint | undefined;
  /** Starts from the stored checkpoint. */
  reset: (checkpoint: bigint | undefined) => void;
  /** A batch with events for this projection committed up to `position`, checkpoint included. */
  committed: (position: bigint) => void;
  /** Events up to `position` concerned other projections only: moved in memory, stored later. */
  skipped: (position: bigint) => void;
  /** Stores the skipped position within `delayMs`, unless one is already due. */
  storeSoon: () => void;
  /** Stores the skipped position now (idle at the head, stopping). */
  storeNow: () => Promise<void>;
  /** Cancels a store that is due (stopping stores now instead). */
  cancel: () => void;
  /** Stops storing, keeping the in-memory position; `reset` resumes. */
  halt: () => void;
};

/**
 * Live, most events concern a few of the projections: the others move their position in
 * memory only and store it at most `delayMs` later (or when idle or stopping), instead of
 * one empty transaction per projection per event. A crash re-reads the skipped events,
 * which changes nothing.
 */
export const createSkippedPositions = (options: {
  /** Stores `position` as the checkpoint, with no documents. */
  store: (position: bigint) => Promise<void>;
  /** Awaited before a timed store, so it never runs beside a batch commit. */
  idle: () => Promise<void>;
  delayMs: number;
  onError: (error: Error) => void;
}): SkippedPositions => {
  let applied: bigint | undefined;
  let stored: bigint | undefined;
  let timer: NodeJS.Timeout | undefined;
  let halted = false;

  const storeNow = async () => {
    if (halted || applied === undefined || (stored !== undefined && stored >= applied)) return;
    const position = applied;
    await options.store(position);
    if (stored === undefined || position > stored) stored = position;
  };

  const storeSoon = () => {
    if (timer || halted || applied === stored) return;
    timer = setTimeout(() => {
      timer = undefined;
      options.idle().then(storeNow).catch(options.onError);
    }, options.delayMs);
    timer.unref();
  };

  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };

  const halt = () => {
    halted = true;
    cancel();
  };

  return {
    applied: () => applied,
    reset: (checkpoint) => {
      halted = false;
      applied = checkpoint;
      stored = checkpoint;
    },
    committed: (position) => {
      applied = position;
      stored = position;
    },
    skipped: (position) => {
      applied = position;
    },
    storeSoon,
    storeNow,
    cancel,
    halt,
  };
};
