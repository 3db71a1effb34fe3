import type Database from 'better-sqlite3';
import type { AppendResult } from './eventStore';
import type { StreamAppend } from './sqliteAppend';

export type GroupedAppend = StreamAppend;

type Pending = GroupedAppend & { resolve: (result: AppendResult) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export type GroupCommit = {
  append: (append: GroupedAppend) => Promise<AppendResult>;
  /** Commits whatever is queued now (used before closing). */
  flush: () => void;
};

/**
 * Group commit: appends issued together share one durable (fsynced) transaction,
 * each inside its own savepoint, so a conflicting append fails alone while the
 * others commit. Callers are answered only after the commit.
 */
export const createGroupCommit = (options: {
  db: Database.Database;
  /** Writes one append inside the current transaction; throws to reject it. */
  appendOne: (append: GroupedAppend) => AppendResult;
  onCommitted: () => void;
}): GroupCommit => {
  const { db } = options;
  let queue: Pending[] = [];
  let flushScheduled = false;

  // Built once, not per flush.
  const appendInSavepoint = db.transaction((append: GroupedAppend) => options.appendOne(append));
  const appendGroup = db.transaction((batch: Pending[]): Outcome[] =>
    batch.map((pending) => {
      try {
        return { ok: true, result: appendInSavepoint(pending) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  const commit = (batch: Pending[]): Outcome[] => {
    // A lone append needs no savepoint: when it fails, the whole transaction rolls back.
    if (batch.length === 1) {
      try {
        return [{ ok: true, result: appendInSavepoint.immediate(batch[0]) }];
      } catch (error) {
        return [{ ok: false, error }];
      }
    }
    return appendGroup.immediate(batch);
  };

  const flush = () => {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = commit(batch);
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    if (outcomes.some((outcome) => outcome.ok)) options.onCommitted();
  };

  const append = (grouped: GroupedAppend) =>
    new Promise<AppendResult>((resolve, reject) => {
      queue.push({ ...grouped, resolve, reject });
      if (!flushScheduled) {
        flushScheduled = true;
        // nextTick still gathers every append issued before the microtask queue drains
        // (the continuations of the previous group), without waiting a loop iteration.
        process.nextTick(flush);
      }
    });

  return { append, flush };
};
