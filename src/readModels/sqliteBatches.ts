import type Database from 'better-sqlite3';
import type { Document, Query, ReadModelStore, ReadModelWriter } from './readModelStore';
import { columnName, columnValue } from './sqliteQuery';

type TableStatements = {
  get: Database.Statement;
  put: Database.Statement;
  remove: Database.Statement;
  fields: string[];
};

export type SqliteBatchDeps = {
  writer: () => Database.Database;
  prepare: (db: Database.Database, sql: string) => Database.Statement;
  storedName: (collection: string, version: number) => string;
  columnsOf: (collection: string) => string[];
  find: <T extends Document>(db: Database.Database, collection: string, version: number, query: Query) => T[];
  readCheckpoint: (projection: string, version: number) => bigint | undefined;
};

/**
 * The batch writes of the SQLite read models: one transaction per batch on the writer
 * connection, with its checkpoint, and batches of different projections queued one after
 * the other (one connection, one transaction at a time).
 */
export const createSqliteBatches = (deps: SqliteBatchDeps) => {
  let queue: Promise<unknown> = Promise.resolve();
  // Per-table statements for the batch writer: a put is the hot path of every rebuild.
  const statements = new Map<string, TableStatements>();

  const statementsFor = (db: Database.Database, collection: string, table: string): TableStatements => {
    let cached = statements.get(table);
    if (!cached) {
      const fields = deps.columnsOf(collection);
      const columns = fields.map(columnName);
      cached = {
        fields,
        get: deps.prepare(db, `SELECT doc FROM "${table}" WHERE key = ?`),
        put: deps.prepare(
          db,
          `INSERT INTO "${table}" (key, doc, position${columns.map((column) => `, ${column}`).join('')})
           VALUES (?, ?, ?${columns.map(() => ', ?').join('')})
           ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, position = excluded.position${columns
             .map((column) => `, ${column} = excluded.${column}`)
             .join('')}
           WHERE position <= excluded.position`,
        ),
        remove: deps.prepare(db, `DELETE FROM "${table}" WHERE key = ?`),
      };
      statements.set(table, cached);
    }
    return cached;
  };

  const writerFor = (db: Database.Database, version: number): ReadModelWriter => {
    const tables = new Map<string, TableStatements>();
    const table = (collection: string): TableStatements => {
      let found = tables.get(collection);
      if (!found) {
        found = statementsFor(db, collection, deps.storedName(collection, version));
        tables.set(collection, found);
      }
      return found;
    };
    return {
      get: async <T extends Document>(collection: string, key: string) => {
        const row = table(collection).get.get(key) as { doc: string } | undefined;
        return row ? (JSON.parse(row.doc) as T) : undefined;
      },
      find: async <T extends Document>(collection: string, query: Query) =>
        deps.find<T>(db, collection, version, query),
      put: async (collection, key, doc, docPosition) => {
        const { put, fields } = table(collection);
        put.run(key, JSON.stringify(doc), docPosition, ...fields.map((field) => columnValue(doc[field])));
      },
      delete: async (collection, key) => {
        table(collection).remove.run(key);
      },
    };
  };

  const applyNow: ReadModelStore['applyBatch'] = async (projection, version, position, write) => {
    const db = deps.writer();
    // better-sqlite3 transactions cannot span awaits, so the batch is bracketed by hand.
    // The writer's methods are synchronous underneath; nothing else uses this connection.
    deps.prepare(db, 'BEGIN IMMEDIATE').run();
    try {
      const checkpoint = deps.readCheckpoint(projection, version);
      if (checkpoint === undefined || checkpoint < position) {
        await write(writerFor(db, version));
        deps
          .prepare(db, 'UPDATE projection_versions SET checkpoint = ? WHERE projection = ? AND version = ?')
          .run(position, projection, version);
      }
      deps.prepare(db, 'COMMIT').run();
    } catch (error) {
      if (db.inTransaction) deps.prepare(db, 'ROLLBACK').run();
      throw error;
    }
  };

  return {
    apply: ((projection, version, position, write) => {
      const run = queue.then(() => applyNow(projection, version, position, write));
      queue = run.catch(() => undefined);
      return run;
    }) satisfies ReadModelStore['applyBatch'],
    /** Forgets prepared statements (their connection closed, or their table was dropped). */
    clear: () => statements.clear(),
  };
};
