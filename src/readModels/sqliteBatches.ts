import type Database from 'better-sqlite3';
import type { Fence } from './leases';
import type { Document, Query, ReadModelStore, ReadModelWriter } from './readModelStore';
import { assertSqliteFence } from './sqliteLeases';
import { columnValue } from './sqliteQuery';
import { createPendingChanges, needsTransaction } from './sqlitePendingChanges';
import { prepareTableStatements, type TableStatements } from './sqliteTableStatements';

export type SqliteBatchDeps = {
  writer: () => Database.Database;
  prepare: (db: Database.Database, sql: string) => Database.Statement;
  storedName: (collection: string, version: number) => string;
  columnsOf: (collection: string) => string[];
  find: <T extends Document>(db: Database.Database, collection: string, version: number, query: Query) => T[];
  readCheckpoint: (projection: string, version: number) => bigint | undefined;
};

type Write = Parameters<ReadModelStore['applyBatch']>[3];

/**
 * The batch writes of the SQLite read models, on the writer connection, each batch with its
 * checkpoint in one transaction; batches of different projections queued one after the other
 * (one connection, one transaction at a time).
 *
 * A batch runs optimistically: its projection work runs in a read transaction (one snapshot,
 * no write lock) against the stored rows and its own pending changes (`sqlitePendingChanges`),
 * and only the resulting row writes take the file's write lock, in a short IMMEDIATE
 * transaction. The lock is shared with every process writing the same file (the server's
 * live projections beside a rebuild), so neither holds it while the other's JavaScript
 * runs. The transaction checks that the checkpoint is still the one the batch read from: if
 * another process moved it, the rows read may be stale, and the batch runs again the old
 * way, reading and writing inside one transaction (as does a batch that calls `find`).
 */
export const createSqliteBatches = (deps: SqliteBatchDeps) => {
  let queue: Promise<unknown> = Promise.resolve();
  // Per-table statements for the batch writer: a put is the hot path of every rebuild.
  const statements = new Map<string, TableStatements>();

  const statementsFor = (db: Database.Database, collection: string, version: number): TableStatements => {
    const table = deps.storedName(collection, version);
    let cached = statements.get(table);
    if (!cached) {
      cached = prepareTableStatements(db, deps.prepare, table, deps.columnsOf(collection));
      statements.set(table, cached);
    }
    return cached;
  };

  /** Reads and writes straight on the connection, inside the caller's transaction. */
  const directWriter = (db: Database.Database, version: number): ReadModelWriter => ({
    get: async <T extends Document>(collection: string, key: string) => {
      const row = statementsFor(db, collection, version).get.get(key) as { doc: string } | undefined;
      return row ? (JSON.parse(row.doc) as T) : undefined;
    },
    find: async <T extends Document>(collection: string, query: Query) => deps.find<T>(db, collection, version, query),
    put: async (collection, key, doc, docPosition) => {
      const { put, fields } = statementsFor(db, collection, version);
      put.run(key, JSON.stringify(doc), docPosition, ...fields.map((field) => columnValue(doc[field])));
    },
    delete: async (collection, key) => {
      statementsFor(db, collection, version).remove.run(key);
    },
  });

  const storeCheckpoint = (db: Database.Database, projection: string, version: number, position: bigint) =>
    deps
      .prepare(db, 'UPDATE projection_versions SET checkpoint = ? WHERE projection = ? AND version = ?')
      .run(position, projection, version);

  const applyInTransaction = async (
    projection: string,
    version: number,
    position: bigint,
    write: Write,
    fence: Fence | undefined,
  ) => {
    const db = deps.writer();
    // better-sqlite3 transactions cannot span awaits, so the batch is bracketed by hand.
    // The writer's methods are synchronous underneath; nothing else uses this connection.
    deps.prepare(db, 'BEGIN IMMEDIATE').run();
    try {
      if (fence) assertSqliteFence(db, deps.prepare, fence);
      const checkpoint = deps.readCheckpoint(projection, version);
      if (checkpoint === undefined || checkpoint < position) {
        await write(directWriter(db, version));
        storeCheckpoint(db, projection, version, position);
      }
      deps.prepare(db, 'COMMIT').run();
    } catch (error) {
      if (db.inTransaction) deps.prepare(db, 'ROLLBACK').run();
      throw error;
    }
  };

  /** The batch's projection work, outside any write transaction. */
  const compute = async (
    projection: string,
    version: number,
    position: bigint,
    write: Write,
    pending: ReturnType<typeof createPendingChanges>,
  ): Promise<{ readFrom: bigint | undefined } | 'applied' | 'needs transaction'> => {
    const readFrom = deps.readCheckpoint(projection, version);
    if (readFrom !== undefined && readFrom >= position) return 'applied';
    try {
      await write(pending.writer);
    } catch (error) {
      if (needsTransaction(error)) return 'needs transaction';
      throw error;
    }
    return { readFrom };
  };

  const applyNow = async (
    projection: string,
    version: number,
    position: bigint,
    write: Write,
    fence: Fence | undefined,
  ) => {
    const db = deps.writer();
    const pending = createPendingChanges((collection) => statementsFor(db, collection, version));
    // The batch's reads in one read transaction: one snapshot, and one read lock on the file
    // instead of one per row read (its system calls cost several times the lookup itself).
    // It takes no write lock; nothing else uses this connection meanwhile (`exclusive`).
    deps.prepare(db, 'BEGIN').run();
    let computed: Awaited<ReturnType<typeof compute>>;
    try {
      computed = await compute(projection, version, position, write, pending);
    } finally {
      // Ends the read transaction (nothing was written in it) without hiding an error thrown above.
      if (db.open && db.inTransaction) deps.prepare(db, 'ROLLBACK').run();
    }
    if (computed === 'applied') return;
    if (computed === 'needs transaction') return applyInTransaction(projection, version, position, write, fence);
    const { readFrom } = computed;
    const committed = db
      .transaction(() => {
        // The lease is checked here, under the write lock, not when the batch was computed.
        if (fence) assertSqliteFence(db, deps.prepare, fence);
        if (deps.readCheckpoint(projection, version) !== readFrom) return false;
        pending.flush();
        storeCheckpoint(db, projection, version, position);
        return true;
      })
      .immediate();
    if (!committed) await applyInTransaction(projection, version, position, write, fence);
  };

  /** Runs `work` on the writer connection between batches, never inside one. */
  const exclusive = <T>(work: (db: Database.Database) => T | Promise<T>): Promise<T> => {
    const run = queue.then(() => work(deps.writer()));
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    apply: ((projection, version, position, write, fence) =>
      exclusive(() => applyNow(projection, version, position, write, fence))) satisfies ReadModelStore['applyBatch'],
    exclusive,
    /** Forgets prepared statements (their connection closed, or their table was dropped). */
    clear: () => statements.clear(),
  };
};
