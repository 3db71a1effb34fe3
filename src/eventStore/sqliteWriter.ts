import type { AppendResult, RecordedEvent } from './eventStore';
import type { StreamAppend } from './sqliteAppend';
import { toAppendError, type AppendOutcome } from './sqliteCommitGroup';
import type { CommitGroup } from './sqliteWriterThread';

type Pending = { append: StreamAppend; resolve: (result: AppendResult) => void; reject: (error: unknown) => void };

export type PipelinedWriter = {
  append: (append: StreamAppend) => Promise<AppendResult>;
  /** Resolves once nothing is queued or in flight. */
  drained: () => Promise<void>;
};

/** The events an outcome wrote, with their positions: an append's events take consecutive positions. */
const recordedEvents = (append: StreamAppend, outcome: AppendOutcome): RecordedEvent[] => {
  if (!outcome.ok || !outcome.written) return [];
  const last = append.events.length - 1;
  return append.events.map((event, index) => ({
    ...event,
    streamName: append.streamName,
    revision: outcome.nextExpectedRevision - BigInt(last - index),
    position: outcome.position - BigInt(last - index),
    recordedAt: append.recordedAt,
  }));
};

/**
 * Pipelined group commit: one group is in flight at a time, and every append that arrives
 * meanwhile joins the next group, sent the moment the previous one is durable. Appenders
 * are answered only after their group's commit; `onCommitted` hears of the new events
 * first (the commit notice), in log order.
 */
export const createPipelinedWriter = (options: {
  commit: CommitGroup;
  onCommitted: (events: RecordedEvent[]) => void;
}): PipelinedWriter => {
  let queue: Pending[] = [];
  let inFlight = false;
  let sendScheduled = false;
  let idleWaiters: Array<() => void> = [];

  const answer = (group: Pending[], outcomes: AppendOutcome[]) => {
    const committed = group.flatMap((pending, index) => recordedEvents(pending.append, outcomes[index]));
    if (committed.length > 0) options.onCommitted(committed);
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.ok)
        pending.resolve({ nextExpectedRevision: outcome.nextExpectedRevision, position: outcome.position });
      else pending.reject(toAppendError(outcome));
    });
  };

  const send = () => {
    sendScheduled = false;
    if (inFlight) return;
    if (queue.length === 0) {
      idleWaiters.forEach((resolve) => resolve());
      idleWaiters = [];
      return;
    }
    const group = queue;
    queue = [];
    inFlight = true;
    options.commit(group.map((pending) => pending.append)).then(
      (outcomes) => {
        inFlight = false;
        send();
        answer(group, outcomes);
      },
      (error: unknown) => {
        inFlight = false;
        send();
        group.forEach((pending) => pending.reject(error));
      },
    );
  };

  const append = (streamAppend: StreamAppend) =>
    new Promise<AppendResult>((resolve, reject) => {
      queue.push({ append: streamAppend, resolve, reject });
      if (inFlight || sendScheduled) return;
      sendScheduled = true;
      // Appends issued in the same tick (the continuations of the previous group) share a group.
      process.nextTick(send);
    });

  const drained = () =>
    new Promise<void>((resolve) => {
      if (!inFlight && queue.length === 0) return resolve();
      idleWaiters.push(resolve);
    });

  return { append, drained };
};
