import type Database from 'better-sqlite3';
import type { EventFilter, EventStore, ReadAllOptions, ReadStreamOptions, RecordedEvent } from './eventStore';
import { toRecorded, type EventRow } from './sqliteSchema';

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

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

export type SqliteReads = Pick<EventStore, 'readStream' | 'readAll' | 'headPosition' | 'readEventAt'> &
  Required<Pick<EventStore, 'readEventById'>> & {
    /** `headPosition` without the promise, for checks that must not yield. */
    headPositionNow: () => bigint | undefined;
  };

/** The read side of the SQLite event log: streams by revision, the log by position, single events. */
export const createSqliteReads = (db: Database.Database): SqliteReads => {
  const findById = db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?');
  const findByPosition = db.prepare<[bigint], EventRow>('SELECT * FROM events WHERE position = ?');
  const readForwards = db.prepare<[string, bigint, number], EventRow>(
    'SELECT * FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
  );
  const readBackwards = db.prepare<[string, bigint, number], EventRow>(
    'SELECT * FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
  );
  const head = db.prepare<[], { position: bigint | null }>('SELECT MAX(position) AS position FROM events');
  const headPositionNow = () => head.get()?.position ?? undefined;

  const readStream = async (streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> => {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER);
      return readBackwards.all(streamName, from, maxCount).map(toRecorded);
    }
    return readForwards.all(streamName, options.fromRevision ?? 0n, maxCount).map(toRecorded);
  };

  // One statement per filter shape: live subscriptions read the log many times a second.
  const readAfter = new Map<string, Database.Statement<unknown[], EventRow>>();
  const readAll = async (options: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    const { sql, params } = filterClause(options.filter);
    let statement = readAfter.get(sql);
    if (!statement) {
      statement = db.prepare(`SELECT * FROM events WHERE position > ?${sql} ORDER BY position ASC LIMIT ?`);
      readAfter.set(sql, statement);
    }
    const rows = statement.all(options.after ?? 0n, ...params, options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return rows.map(toRecorded);
  };

  return {
    readStream,
    readAll,
    headPosition: async () => headPositionNow(),
    headPositionNow,
    readEventById: async (eventId) => {
      const row = findById.get(eventId);
      return row ? toRecorded(row) : undefined;
    },
    readEventAt: async (position) => {
      const row = findByPosition.get(position);
      return row ? toRecorded(row) : undefined;
    },
  };
};
