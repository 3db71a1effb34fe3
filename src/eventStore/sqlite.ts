import Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors';
import { createPollingSubscription } from './pollingSubscription';
import { createGroupCommit, type GroupedAppend } from './sqliteGroupCommit';
import type {
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from './eventStore';

type EventRow = {
  position: number | bigint;
  event_id: string;
  stream_name: string;
  revision: number | bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
};

export type SqliteEventStoreOptions = {
  /** File path, or ':memory:' for a throw-away store. */
  path: string;
  /** How often subscriptions look for appends made by other processes sharing the file. */
  pollIntervalMs?: number;
  now?: () => Date;
};

/** The events table; exported so the bench can measure raw inserts into the identical table. */
export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL UNIQUE,
  stream_name TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,
  metadata    TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream_name, revision)
);
`;

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  data: JSON.parse(row.data) as RecordedEvent['data'],
  metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
  streamName: row.stream_name,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  recordedAt: row.recorded_at,
});

const describeExpected = (expected: ExpectedRevision): string =>
  typeof expected === 'bigint' ? expected.toString() : expected;

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Embedded event store on one SQLite file in WAL mode with synchronous=FULL, so an
 * acknowledged append survives a crash or power loss. Appends that arrive in the same
 * tick are group-committed: one durable transaction, one savepoint per append, so a
 * conflicting append fails alone while the others commit.
 */
export const createSqliteEventStore = (options: SqliteEventStoreOptions): EventStore => {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(EVENTS_SCHEMA);
  db.defaultSafeIntegers(true);
  const now = options.now ?? (() => new Date());

  const lastRevision = db.prepare<[string], { revision: bigint }>(
    'SELECT revision FROM events WHERE stream_name = ? ORDER BY revision DESC LIMIT 1',
  );
  const findById = db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?');
  const findByPosition = db.prepare<[bigint], EventRow>('SELECT * FROM events WHERE position = ?');
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const readForwards = db.prepare<[string, bigint, number], EventRow>(
    'SELECT * FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
  );
  const readBackwards = db.prepare<[string, bigint, number], EventRow>(
    'SELECT * FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
  );
  const head = db.prepare<[], { position: bigint | null }>('SELECT MAX(position) AS position FROM events');

  /** Returns the result of an earlier identical append, or undefined when these events are new. */
  const findIdempotentAppend = (streamName: string, events: NewEvent[]): AppendResult | undefined => {
    const existing = events.map((event) => findById.get(event.id));
    if (existing.every((row) => row === undefined)) return undefined;
    if (existing.some((row) => row === undefined || row.stream_name !== streamName)) {
      throw new WrongExpectedRevisionError(streamName, 'new event ids', 'some event ids already used');
    }
    const last = existing[existing.length - 1] as EventRow;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  };

  const appendOne = (pending: GroupedAppend): AppendResult => {
    const { streamName, events, expectedRevision } = pending;
    const idempotent = findIdempotentAppend(streamName, events);
    if (idempotent) return idempotent;
    const current = lastRevision.get(streamName)?.revision;
    const matches =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && current === undefined) ||
      (expectedRevision === 'stream_exists' && current !== undefined) ||
      (typeof expectedRevision === 'bigint' && current === expectedRevision);
    if (!matches) {
      throw new WrongExpectedRevisionError(
        streamName,
        describeExpected(expectedRevision),
        current === undefined ? 'no_stream' : current.toString(),
      );
    }
    let revision = current ?? -1n;
    let position = 0n;
    const recordedAt = now().toISOString();
    for (const event of events) {
      revision += 1n;
      const info = insert.run(
        event.id,
        streamName,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      position = BigInt(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position };
  };

  const listeners = new Set<() => void>();
  const groupCommit = createGroupCommit({
    db,
    appendOne,
    onCommitted: () => listeners.forEach((listener) => listener()),
  });

  const appendToStream: EventStore['appendToStream'] = (streamName, events, appendOptions) => {
    if (events.length === 0) return Promise.reject(new RangeError('Nothing to append'));
    return groupCommit.append({ streamName, events, expectedRevision: appendOptions?.expectedRevision ?? 'any' });
  };

  const readStream = async (streamName: string, readOptions: ReadStreamOptions = {}): Promise<RecordedEvent[]> => {
    const maxCount = readOptions.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (readOptions.direction === 'backwards') {
      const from = readOptions.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER);
      return readBackwards.all(streamName, from, maxCount).map(toRecorded);
    }
    return readForwards.all(streamName, readOptions.fromRevision ?? 0n, maxCount).map(toRecorded);
  };

  const filterClause = (filter?: EventFilter): { sql: string; params: unknown[] } => {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter?.streamNamePrefixes?.length) {
      clauses.push(`(${filter.streamNamePrefixes.map(() => "stream_name LIKE ? ESCAPE '\\'").join(' OR ')})`);
      params.push(...filter.streamNamePrefixes.map((prefix) => `${escapeLike(prefix)}%`));
    }
    if (filter?.eventTypes?.length) {
      clauses.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
      params.push(...filter.eventTypes);
    }
    return { sql: clauses.map((clause) => ` AND ${clause}`).join(''), params };
  };

  const readAll = async (readOptions: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    const { sql, params } = filterClause(readOptions.filter);
    const rows = db
      .prepare<unknown[], EventRow>(`SELECT * FROM events WHERE position > ?${sql} ORDER BY position ASC LIMIT ?`)
      .all(readOptions.after ?? 0n, ...params, readOptions.maxCount ?? Number.MAX_SAFE_INTEGER);
    return rows.map(toRecorded);
  };

  const headPosition = async (): Promise<bigint | undefined> => head.get()?.position ?? undefined;

  const subscribeToAll = (subscribeOptions: SubscribeOptions) =>
    createPollingSubscription({
      readAll,
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

  const readEventById = async (eventId: string): Promise<RecordedEvent | undefined> => {
    const row = findById.get(eventId);
    return row ? toRecorded(row) : undefined;
  };

  const readEventAt = async (position: bigint): Promise<RecordedEvent | undefined> => {
    const row = findByPosition.get(position);
    return row ? toRecorded(row) : undefined;
  };

  return {
    appendToStream,
    readStream,
    readAll,
    headPosition,
    readEventAt,
    positionsAreDense: true,
    readEventById,
    subscribeToAll,
    close,
  };
};
