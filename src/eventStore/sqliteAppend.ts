import type Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors';
import type { AppendResult, ExpectedRevision, NewEvent } from './eventStore';
import type { EventRow } from './sqliteSchema';

export type StreamAppend = {
  streamName: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
  /** When set, the stream's last event must be this one (an append chained on one in flight). */
  expectedLastEventId?: string;
  /** When the append was issued (ISO-8601), stored with each event. */
  recordedAt: string;
};

/** `written` false: an identical earlier append answered, nothing new is in the log. */
export type AppendWritten = AppendResult & { written: boolean };

const describeExpected = (expected: ExpectedRevision): string =>
  typeof expected === 'bigint' ? expected.toString() : expected;

const matchesExpected = (expected: ExpectedRevision, current: bigint | undefined): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && current === undefined) ||
  (expected === 'stream_exists' && current !== undefined) ||
  (typeof expected === 'bigint' && current === expected);

/**
 * Writes one append inside the caller's transaction: an identical earlier append (same
 * event ids on the same stream) answers with its result; otherwise the expected revision
 * is checked against the stream's last revision and the events are inserted. Throws
 * `WrongExpectedRevisionError` to reject the append.
 */
export const createAppendOne = (db: Database.Database) => {
  const lastEvent = db.prepare<[string], { revision: bigint; event_id: string }>(
    'SELECT revision, event_id FROM events WHERE stream_name = ? ORDER BY revision DESC LIMIT 1',
  );
  const findById = db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?');
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

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

  return ({ streamName, events, expectedRevision, expectedLastEventId, recordedAt }: StreamAppend): AppendWritten => {
    const idempotent = findIdempotentAppend(streamName, events);
    if (idempotent) return { ...idempotent, written: false };
    const last = lastEvent.get(streamName);
    const current = last?.revision;
    // The revision alone cannot tell the append this one was chained on from another
    // writer's event at the same revision; the id can.
    if (expectedLastEventId !== undefined && last?.event_id !== expectedLastEventId) {
      throw new WrongExpectedRevisionError(
        streamName,
        `last event ${expectedLastEventId}`,
        last === undefined ? 'no_stream' : `last event ${last.event_id}`,
      );
    }
    if (!matchesExpected(expectedRevision, current)) {
      throw new WrongExpectedRevisionError(
        streamName,
        describeExpected(expectedRevision),
        current === undefined ? 'no_stream' : current.toString(),
      );
    }
    let revision = current ?? -1n;
    let position = 0n;
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
    return { nextExpectedRevision: revision, position, written: true };
  };
};
