import Database from 'better-sqlite3';
import { openWalFile } from '../sqliteWalFile';
import type { CollectionSpec } from './readModelStore';
import { LEASES_SCHEMA } from './sqliteLeases';
import { columnName } from './sqliteQuery';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_versions (
  projection TEXT NOT NULL,
  version    INTEGER NOT NULL,
  checkpoint INTEGER,
  PRIMARY KEY (projection, version)
);
CREATE TABLE IF NOT EXISTS projection_active (
  projection TEXT PRIMARY KEY,
  version    INTEGER NOT NULL
);
`;

/** The writer and reader connections of the read-model file (one connection for ':memory:'). */
export const openSqliteReadModels = (path: string): { writer: Database.Database; reader: Database.Database } => {
  const writer = openWalFile(path, 'NORMAL');
  // A rebuild rewrites index pages batch after batch: a 64 MB page cache keeps them in memory
  // (the 2 MB default spills them). Checkpoints run on another thread (the store's start).
  writer.pragma('cache_size = -65536');
  writer.exec(SCHEMA);
  writer.exec(LEASES_SCHEMA);
  const reader = path === ':memory:' ? writer : new Database(path);
  reader.pragma('busy_timeout = 5000');
  return { writer, reader };
};

/**
 * Creates the tables of one projection version, and with `withIndexes` their indexes
 * (idempotent). Every indexed field is a column `f_<field>`; a table created before a field
 * was indexed gets the column now.
 */
export const createVersionTables = (
  db: Database.Database,
  projection: string,
  version: number,
  collections: Array<CollectionSpec & { stored: string }>,
  columnsOf: (collection: string) => string[],
  withIndexes: boolean,
): void => {
  // IMMEDIATE: a deferred transaction that reads the schema and then writes fails at once with
  // SQLITE_BUSY (no busy wait) when another process (a rebuild) wrote in between.
  db.transaction(() => {
    for (const collection of collections) {
      const table = collection.stored;
      db.exec(
        `CREATE TABLE IF NOT EXISTS "${table}" (key TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL)`,
      );
      const present = new Set(
        (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name),
      );
      for (const field of columnsOf(collection.name).filter((candidate) => !present.has(`f_${candidate}`))) {
        db.exec(`ALTER TABLE "${table}" ADD COLUMN ${columnName(field)}`);
        db.exec(`UPDATE "${table}" SET ${columnName(field)} = json_extract(doc, '$.${field}')`);
      }
      if (!withIndexes) continue;
      collection.indexes.forEach((indexFields, index) => {
        db.exec(
          `CREATE INDEX IF NOT EXISTS "${table}_c${index}" ON "${table}" (${indexFields.map(columnName).join(', ')})`,
        );
      });
    }
    db.prepare('INSERT OR IGNORE INTO projection_versions (projection, version, checkpoint) VALUES (?, ?, NULL)').run(
      projection,
      version,
    );
  }).immediate();
};

/** Drops one projection version's tables and its checkpoint. */
export const dropVersionTables = (
  db: Database.Database,
  projection: string,
  version: number,
  collections: Array<{ stored: string }>,
): void => {
  db.transaction(() => {
    for (const collection of collections) db.exec(`DROP TABLE IF EXISTS "${collection.stored}"`);
    db.prepare('DELETE FROM projection_versions WHERE projection = ? AND version = ?').run(projection, version);
  }).immediate();
};
