import type Database from 'better-sqlite3';

/** One computed batch waiting for the group's transaction. */
export type GroupMember = {
  /** Checks and writes the batch inside the transaction; false when it must run again (its checkpoint moved). */
  commit: () => boolean;
};

/** What became of a member: committed, to run again alone, or failed with nothing written. */
export type MemberOutcome = 'committed' | 'again' | Error;

type Together = Database.Transaction<(members: GroupMember[]) => MemberOutcome[]>;

const statements = new WeakMap<Database.Database, Together>();

const together = (db: Database.Database): Together => {
  let run = statements.get(db);
  if (!run) {
    // Nested better-sqlite3 transactions are savepoints: a member that fails is rolled back alone.
    const one = db.transaction((member: GroupMember) => member.commit());
    run = db.transaction((members: GroupMember[]) =>
      members.map((member): MemberOutcome => {
        try {
          return one(member) ? 'committed' : 'again';
        } catch (error) {
          // An error that made SQLite roll the whole transaction back (disk full, I/O) fails every member.
          if (!db.inTransaction) throw error;
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
    statements.set(db, run);
  }
  return run;
};

/**
 * Commits the batches of several projections in one IMMEDIATE transaction (one commit, one
 * turn at the write lock instead of one per projection), each in a savepoint of its own: a
 * member whose fence or write fails is rolled back alone and the others commit. When the
 * transaction as a whole fails, every member fails with that error.
 */
export const commitTogether = (db: Database.Database, members: GroupMember[]): MemberOutcome[] => {
  if (members.length === 0) return [];
  try {
    return together(db).immediate(members);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return members.map(() => failure);
  }
};
