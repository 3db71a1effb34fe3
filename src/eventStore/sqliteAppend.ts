import type Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors';
import type { AppendResult, ExpectedRevision, NewEvent } from './eventStore';
import { FIELDS_PER_EVENT, type EncodedAppend } from './sqliteAppendWire';
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

const idsTaken = (streamName: string) =>
  new WrongExpectedRevisionError(streamName, 'new event ids', 'some event ids already used');

const isEventIdTaken = (error: unknown): boolean =>
  (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
  (error as Error).message.includes('events.event_id');

const matchesExpected = (expected: ExpectedRevision, current: bigint | undefined): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && current === undefined) ||
  (expected === 'stream_exists' && current !== undefined) ||
  (typeof expected === 'bigint' && current === expected);

/**
 * Writes one append inside the caller's transaction: an identical earlier append (same
 * event ids on the same stream) answers with its result; otherwise the expected revision
 * is checked against the stream's last revision and the events are inserted. Throws
 * `WrongExpectedRevisionError` to reject the append. The event ids are looked up only when
 * the append is refused or an insert finds its id taken, not on every append. A
 * single-event append writes nothing before it throws (its one insert is atomic).
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
  // Not `ON CONFLICT DO NOTHING`: with AUTOINCREMENT a skipped insert still uses up its
  // position, and positions must stay dense. A failed insert takes its position back.
  const insertNew = (...row: unknown[]): bigint | undefined => {
    try {
      return BigInt(insert.run(...row).lastInsertRowid);
    } catch (error) {
      if (isEventIdTaken(error)) return undefined;
      throw error;
    }
  };

  /**
   * The result of the earlier append these events repeat, or undefined when they are new:
   * the same ids on the same stream, in the same order at consecutive revisions, starting
   * right after an exact expected revision. Anything else that reuses an id is refused.
   */
  const findIdempotentAppend = (append: EncodedAppend): AppendResult | undefined => {
    const { streamName, events, expectedRevision } = append;
    const existing: Array<EventRow | undefined> = [];
    for (let index = 0; index < events.length; index += FIELDS_PER_EVENT) existing.push(findById.get(events[index]));
    if (existing.every((row) => row === undefined)) return undefined;
    const first =
      expectedRevision === 'no_stream'
        ? 0n
        : typeof expectedRevision === 'bigint'
          ? expectedRevision + 1n
          : BigInt(existing[0]?.revision ?? 0n);
    const repeated = existing.every(
      (row, index) => row?.stream_name === streamName && BigInt(row.revision) === first + BigInt(index),
    );
    if (!repeated) throw idsTaken(streamName);
    const last = existing[existing.length - 1] as EventRow;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  };

  /** Why the stream's last event refuses this append, if it does. */
  const refusal = (append: EncodedAppend, last: { revision: bigint; event_id: string } | undefined) => {
    const { streamName, expectedRevision, expectedLastEventId } = append;
    // The revision alone cannot tell the append this one was chained on from another
    // writer's event at the same revision; the id can.
    if (expectedLastEventId !== undefined && last?.event_id !== expectedLastEventId) {
      return new WrongExpectedRevisionError(
        streamName,
        `last event ${expectedLastEventId}`,
        last === undefined ? 'no_stream' : `last event ${last.event_id}`,
      );
    }
    if (matchesExpected(expectedRevision, last?.revision)) return undefined;
    return new WrongExpectedRevisionError(
      streamName,
      describeExpected(expectedRevision),
      last === undefined ? 'no_stream' : last.revision.toString(),
    );
  };

  return (append: EncodedAppend): AppendWritten => {
    const { streamName, events, recordedAt } = append;
    const last = lastEvent.get(streamName);
    const refused = refusal(append, last);
    if (refused) {
      const earlier = findIdempotentAppend(append);
      if (earlier) return { ...earlier, written: false };
      throw refused;
    }
    let revision = last?.revision ?? -1n;
    let position = 0n;
    for (let index = 0; index < events.length; index += FIELDS_PER_EVENT) {
      revision += 1n;
      const inserted = insertNew(
        events[index],
        streamName,
        revision,
        events[index + 1],
        events[index + 2],
        events[index + 3],
        recordedAt,
      );
      if (inserted === undefined) {
        // The id is in the log: an identical earlier append when it is the first event.
        const earlier = index === 0 ? findIdempotentAppend(append) : undefined;
        if (earlier) return { ...earlier, written: false };
        throw idsTaken(streamName);
      }
      position = inserted;
    }
    return { nextExpectedRevision: revision, position, written: true };
  };
};
