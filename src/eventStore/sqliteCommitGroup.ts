import type Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors';
import type { AppendWritten } from './sqliteAppend';
import { FIELDS_PER_EVENT, type EncodedAppend } from './sqliteAppendWire';

/** What became of one append of a group; plain data, so it crosses a thread boundary. */
export type AppendOutcome =
  | ({ ok: true } & AppendWritten)
  | { ok: false; conflict?: { streamName: string; expected: string; actual: string }; message: string };

const failed = (error: unknown): AppendOutcome => {
  if (error instanceof WrongExpectedRevisionError) {
    const { streamName, expected, actual, message } = error;
    return { ok: false, conflict: { streamName, expected, actual }, message };
  }
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
};

/** Turns a failed outcome back into the error the appender sees. */
export const toAppendError = (outcome: Extract<AppendOutcome, { ok: false }>): Error =>
  outcome.conflict
    ? new WrongExpectedRevisionError(outcome.conflict.streamName, outcome.conflict.expected, outcome.conflict.actual)
    : new Error(outcome.message);

/**
 * Commits a group of appends in one durable (fsynced) transaction, each append of several
 * events inside its own savepoint, so a conflicting append fails alone while the others
 * commit (a single-event append writes nothing before it fails, so it needs none). Appends
 * are applied in the order given, so one decided on an earlier one of the group sees it.
 * Throws when the transaction itself fails or an append makes SQLite roll it back (then
 * nothing of the group is kept).
 */
export const createCommitGroup = (db: Database.Database, appendOne: (append: EncodedAppend) => AppendWritten) => {
  // Built once, not per group.
  const appendInSavepoint = db.transaction((append: EncodedAppend) => appendOne(append));
  const appendGroup = db.transaction((group: EncodedAppend[]): AppendOutcome[] =>
    group.map((append) => {
      try {
        const written = append.events.length === FIELDS_PER_EVENT ? appendOne(append) : appendInSavepoint(append);
        return { ok: true, ...written };
      } catch (error) {
        // An error SQLite answers by rolling the whole transaction back (disk full, I/O) fails the
        // group: the appends after it must not run, and commit, outside the transaction.
        if (!db.inTransaction) throw error;
        return failed(error);
      }
    }),
  );

  return (group: EncodedAppend[]): AppendOutcome[] => {
    // A lone append needs no savepoint: when it fails, the whole transaction rolls back.
    if (group.length === 1) {
      try {
        return [{ ok: true, ...appendInSavepoint.immediate(group[0]) }];
      } catch (error) {
        return [failed(error)];
      }
    }
    return appendGroup.immediate(group);
  };
};
