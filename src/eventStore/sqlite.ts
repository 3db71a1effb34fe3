import type { EventStore, SubscribeOptions } from './eventStore';
import { createPollingSubscription } from './pollingSubscription';
import { createAppendOne } from './sqliteAppend';
import { createGroupCommit } from './sqliteGroupCommit';
import { createSqliteReads } from './sqliteReads';
import { openEventLog } from './sqliteSchema';

export { EVENTS_SCHEMA } from './sqliteSchema';

export type SqliteEventStoreOptions = {
  /** File path, or ':memory:' for a throw-away store. */
  path: string;
  /** How often subscriptions look for appends made by other processes sharing the file. */
  pollIntervalMs?: number;
  now?: () => Date;
};

/**
 * Embedded event store on one SQLite file (`sqliteSchema`). Appends that arrive in the
 * same tick are group-committed (`sqliteGroupCommit`): one durable transaction, one
 * savepoint per append (`sqliteAppend`), so a conflicting append fails alone while the
 * others commit. Subscriptions read the log by position, woken by local commits.
 */
export const createSqliteEventStore = (options: SqliteEventStoreOptions): EventStore => {
  const db = openEventLog(options.path);
  const reads = createSqliteReads(db);
  const listeners = new Set<() => void>();
  const groupCommit = createGroupCommit({
    db,
    appendOne: createAppendOne(db, options.now ?? (() => new Date())),
    onCommitted: () => listeners.forEach((listener) => listener()),
  });

  const appendToStream: EventStore['appendToStream'] = (streamName, events, appendOptions) => {
    if (events.length === 0) return Promise.reject(new RangeError('Nothing to append'));
    return groupCommit.append({ streamName, events, expectedRevision: appendOptions?.expectedRevision ?? 'any' });
  };

  const subscribeToAll = (subscribeOptions: SubscribeOptions) =>
    createPollingSubscription({
      readAll: reads.readAll,
      onAppended: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      pollIntervalMs: options.pollIntervalMs ?? 200,
      ...subscribeOptions,
    });

  const close = async () => {
    groupCommit.flush();
    db.close();
  };

  return { ...reads, appendToStream, positionsAreDense: true, subscribeToAll, close };
};
