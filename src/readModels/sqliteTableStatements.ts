import type Database from 'better-sqlite3';
import { columnName } from './sqliteQuery';

export type TableStatements = {
  get: Database.Statement;
  put: Database.Statement;
  remove: Database.Statement;
  /** The indexed fields, each written to its column `f_<field>` after key, doc and position. */
  fields: string[];
};

/**
 * The prepared statements of one read-model table's batch writes. A put replaces the
 * stored row unless that row was written at a later position.
 */
export const prepareTableStatements = (
  db: Database.Database,
  prepare: (db: Database.Database, sql: string) => Database.Statement,
  table: string,
  fields: string[],
): TableStatements => {
  const columns = fields.map(columnName);
  return {
    fields,
    get: prepare(db, `SELECT doc FROM "${table}" WHERE key = ?`),
    put: prepare(
      db,
      `INSERT INTO "${table}" (key, doc, position${columns.map((column) => `, ${column}`).join('')})
       VALUES (?, ?, ?${columns.map(() => ', ?').join('')})
       ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, position = excluded.position${columns
         .map((column) => `, ${column} = excluded.${column}`)
         .join('')}
       WHERE position <= excluded.position`,
    ),
    remove: prepare(db, `DELETE FROM "${table}" WHERE key = ?`),
  };
};
