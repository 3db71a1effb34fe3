import type { EventStore, RecordedEvent, SubscribeOptions } from './eventStore';
import { createPollingSubscription } from './pollingSubscription';
import { createAppendOne } from './sqliteAppend';
import { createChangeWatch } from './sqliteChangeWatch';
import { createCommitGroup } from './sqliteCommitGroup';
import { createSqliteReads } from './sqliteReads';
import { createStreamFreshness } from './sqliteStreamFreshness';
import { openEventLog } from './sqliteSchema';
import { createPipelinedWriter } from './sqliteWriter';
import { startWriterThread, type WriterThread } from './sqliteWriterThread';

export { EVENTS_SCHEMA } from './sqliteSchema';

export type SqliteEventStoreOptions = {
  /** File path, or ':memory:' for a throw-away store. */
  path: string;
  /** How often subscriptions check the file for appends made by other processes sharing it. */
  changePollMs?: number;
  /** A subscription's fallback read of the log when nothing woke it (a safety net). */
  pollIntervalMs?: number;
  now?: () => Date;
};

/**
 * Embedded event store on one SQLite file (`sqliteSchema`). A writer thread owns the
 * writing connection (`sqliteWriterWorker`) and commits appends in pipelined groups
 * (`sqliteWriter`): one durable transaction per group, one savepoint per append
 * (`sqliteAppend`), so a conflicting append fails alone while the others commit. Reads
 * run on this thread's own connection. Subscriptions get this process's commits from the
 * writer's commit notice and poll the file only for other processes' appends.
 * A ':memory:' store has one connection, so it commits on this thread.
 */
export const createSqliteEventStore = (options: SqliteEventStoreOptions): EventStore => {
  const db = openEventLog(options.path);
  const { headPositionNow, ...reads } = createSqliteReads(db);
  // The last position this process's writer committed: a change to the file that adds
  // nothing after it was this process's own commit, which the commit notice delivered.
  let committedHere = 0n;
  const { freshness, noteCommitted } = createStreamFreshness(db, headPositionNow);
  const now = options.now ?? (() => new Date());
  const thread: WriterThread | undefined = options.path === ':memory:' ? undefined : startWriterThread(options.path);
  const commitHere = thread ? undefined : createCommitGroup(db, createAppendOne(db));
  const listeners = new Set<(events: RecordedEvent[]) => void>();
  const writer = createPipelinedWriter({
    commit: thread?.commit ?? (async (group) => (commitHere as NonNullable<typeof commitHere>)(group)),
    onCommitted: (events) => {
      committedHere = events[events.length - 1].position;
      noteCommitted(events);
      listeners.forEach((listener) => listener(events));
      changes.ownCommitNoticed();
    },
  });

  const changes = createChangeWatch(db, options.changePollMs ?? 5, {
    isNews: () => (headPositionNow() ?? 0n) > committedHere,
    ownCommitPending: writer.committing,
  });

  const appendToStream: EventStore['appendToStream'] = (streamName, events, appendOptions) => {
    if (events.length === 0) return Promise.reject(new RangeError('Nothing to append'));
    const expectedRevision = appendOptions?.expectedRevision ?? 'any';
    const { expectedLastEventId } = appendOptions ?? {};
    return writer.append({
      streamName,
      events,
      expectedRevision,
      expectedLastEventId,
      recordedAt: now().toISOString(),
    });
  };

  const subscribeToAll = (subscribeOptions: SubscribeOptions) =>
    createPollingSubscription({
      readAll: reads.readAll,
      onCommitted: (listener) => {
        listeners.add(listener);
        // Another process's commit carries no events here: the subscription reads the log.
        const unwatch = changes.onChange(() => listener([]));
        return () => {
          listeners.delete(listener);
          unwatch();
        };
      },
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      ...subscribeOptions,
    });

  const close = async () => {
    await writer.drained();
    await thread?.close();
    db.close();
  };

  return {
    ...reads,
    appendToStream,
    positionsAreDense: true,
    checksLastEventId: true,
    freshness,
    subscribeToAll,
    close,
  };
};
