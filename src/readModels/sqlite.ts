import Database from 'better-sqlite3';
import { createProjectionCatalog } from './projectionCatalog';
import type { Document, Query, ReadModelStore, ReadModelWriter } from './readModelStore';
import { columnName, columnValue, compileQuery } from './sqliteQuery';

export type SqliteReadModelStoreOptions = {
  /** File path, or ':memory:'. */
  path: string;
  /** How long a process trusts its cached active versions (another process may switch them). */
  versionCacheMs?: number;
};

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

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const tableName = (collection: string, version: number): string => {
  if (!NAME.test(collection)) throw new RangeError(`Not a collection name: ${collection}`);
  return `rm_${collection}_v${version}`;
};

/**
 * Embedded read models: one SQLite file (separate from the event log), a table per
 * collection and version holding JSON documents, expression indexes on the queried
 * fields. Writes go through one connection, reads through another, so a query never
 * sees half of a batch. synchronous=NORMAL: a power loss may roll back the last
 * batches, but their checkpoint rolls back with them and they are re-applied.
 */
export const createSqliteReadModelStore = (options: SqliteReadModelStoreOptions): ReadModelStore => {
  const catalog = createProjectionCatalog();
  const { specOf, ownerOf } = catalog;
  /** Per collection, the fields its indexes use: each gets a column `f_<field>`. */
  const columnsOf = new Map<string, string[]>();
  const columnSets = new Map<string, ReadonlySet<string>>();
  const activeCache = new Map<string, { version: number; readAt: number }>();
  const versionCacheMs = options.versionCacheMs ?? 1000;
  let writer: Database.Database | undefined;
  let reader: Database.Database | undefined;

  const open = () => {
    if (!writer || !reader) throw new Error('Read-model store is not started');
    return { writer, reader };
  };

  const statementCache = new Map<string, Database.Statement>();
  const prepare = (db: Database.Database, sql: string): Database.Statement => {
    const key = `${db === writer ? 'w' : 'r'}:${sql}`;
    let statement = statementCache.get(key);
    if (!statement) {
      statement = db.prepare(sql);
      statementCache.set(key, statement);
    }
    return statement;
  };

  const activeVersionSync = (projection: string): number => {
    const cached = activeCache.get(projection);
    if (cached && Date.now() - cached.readAt < versionCacheMs) return cached.version;
    const row = prepare(open().reader, 'SELECT version FROM projection_active WHERE projection = ?').get(projection) as
      { version: number } | undefined;
    const version = row?.version ?? 1;
    activeCache.set(projection, { version, readAt: Date.now() });
    return version;
  };

  const prepareVersionSync = (projection: string, version: number) => {
    const db = open().writer;
    // IMMEDIATE: a deferred transaction that reads the schema and then writes fails at once with
    // SQLITE_BUSY (no busy wait) when another process (a rebuild) wrote in between.
    db.transaction(() => {
      for (const collection of specOf(projection).collections) {
        const table = tableName(collection.name, version);
        const fields = columnsOf.get(collection.name) ?? [];
        db.exec(
          `CREATE TABLE IF NOT EXISTS "${table}" (key TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL)`,
        );
        // Tables created before a field was indexed get the column and its values now.
        const present = new Set(
          (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name),
        );
        for (const field of fields.filter((candidate) => !present.has(`f_${candidate}`))) {
          db.exec(`ALTER TABLE "${table}" ADD COLUMN ${columnName(field)}`);
          db.exec(`UPDATE "${table}" SET ${columnName(field)} = json_extract(doc, '$.${field}')`);
        }
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

  const getFrom = <T extends Document>(db: Database.Database, table: string, key: string): T | undefined => {
    const row = prepare(db, `SELECT doc FROM "${table}" WHERE key = ?`).get(key) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  };

  const findIn = <T extends Document>(
    db: Database.Database,
    collection: string,
    version: number,
    query: Query,
  ): T[] => {
    const { sql, params } = compileQuery(tableName(collection, version), query, columnSets.get(collection));
    return (prepare(db, sql).all(...params) as Array<{ doc: string }>).map((row) => JSON.parse(row.doc) as T);
  };

  const readCheckpointSync = (projection: string, version: number): bigint | undefined => {
    const statement = prepare(
      open().writer,
      'SELECT checkpoint FROM projection_versions WHERE projection = ? AND version = ?',
    );
    const row = statement.safeIntegers(true).get(projection, version) as { checkpoint: bigint | null } | undefined;
    return row?.checkpoint ?? undefined;
  };

  const store: ReadModelStore = {
    register: (spec) => {
      catalog.register(spec);
      spec.collections.forEach((collection) => {
        const fields = [...new Set(collection.indexes.flat())];
        columnsOf.set(collection.name, fields);
        columnSets.set(collection.name, new Set(fields));
      });
    },

    start: async () => {
      writer = new Database(options.path);
      writer.pragma('journal_mode = WAL');
      writer.pragma('synchronous = NORMAL');
      writer.pragma('busy_timeout = 5000');
      // A rebuild rewrites index pages batch after batch: a 64 MB page cache keeps them in memory
      // (the 2 MB default spills them), and a 10,000-page WAL (~40 MB) checkpoints, and fsyncs,
      // a tenth as often as the default 1,000 pages. Neither changes what a commit guarantees.
      writer.pragma('cache_size = -65536');
      writer.pragma('wal_autocheckpoint = 10000');
      writer.exec(SCHEMA);
      reader = options.path === ':memory:' ? writer : new Database(options.path);
      reader.pragma('busy_timeout = 5000');
      for (const projection of catalog.projections()) prepareVersionSync(projection, activeVersionSync(projection));
    },

    close: async () => {
      statementCache.clear();
      writeStatements.clear();
      if (reader && reader !== writer) reader.close();
      writer?.close();
      writer = undefined;
      reader = undefined;
    },

    get: async <T extends Document>(collection: string, key: string) =>
      getFrom<T>(open().reader, tableName(collection, activeVersionSync(ownerOf(collection))), key),

    find: async <T extends Document>(collection: string, query: Query) =>
      findIn<T>(open().reader, collection, activeVersionSync(ownerOf(collection)), query),

    activeVersion: async (projection) => {
      activeCache.delete(projection);
      return activeVersionSync(projection);
    },

    listVersions: async (projection) => {
      const active = await store.activeVersion(projection);
      const rows = prepare(
        open().writer,
        'SELECT version, checkpoint FROM projection_versions WHERE projection = ? ORDER BY version',
      )
        .safeIntegers(true)
        .all(projection) as Array<{ version: bigint; checkpoint: bigint | null }>;
      return rows.map((row) => ({
        version: Number(row.version),
        checkpoint: row.checkpoint ?? undefined,
        active: Number(row.version) === active,
      }));
    },

    prepareVersion: async (projection, version) => prepareVersionSync(projection, version),

    activateVersion: async (projection, version) => {
      open()
        .writer.prepare(
          'INSERT INTO projection_active (projection, version) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET version = excluded.version',
        )
        .run(projection, version);
      activeCache.delete(projection);
    },

    dropVersion: async (projection, version) => {
      if (version === (await store.activeVersion(projection))) {
        throw new RangeError(`Version ${version} of ${projection} is active and cannot be dropped`);
      }
      const db = open().writer;
      statementCache.clear();
      writeStatements.clear();
      db.transaction(() => {
        for (const collection of specOf(projection).collections) {
          db.exec(`DROP TABLE IF EXISTS "${tableName(collection.name, version)}"`);
        }
        db.prepare('DELETE FROM projection_versions WHERE projection = ? AND version = ?').run(projection, version);
      }).immediate();
    },

    readCheckpoint: async (projection, version) => readCheckpointSync(projection, version),

    applyBatch: (projection, version, position, write) => {
      // One transaction at a time on the writer connection: batches of different projections queue up.
      const run = batchQueue.then(() => applyBatchNow(projection, version, position, write));
      batchQueue = run.catch(() => undefined);
      return run;
    },
  };

  let batchQueue: Promise<unknown> = Promise.resolve();
  type TableStatements = {
    get: Database.Statement;
    put: Database.Statement;
    remove: Database.Statement;
    fields: string[];
  };
  // Per-table statements for the batch writer: a put is the hot path of every rebuild.
  const writeStatements = new Map<string, TableStatements>();
  const statementsFor = (db: Database.Database, collection: string, table: string): TableStatements => {
    let statements = writeStatements.get(table);
    if (!statements) {
      const fields = columnsOf.get(collection) ?? [];
      const columns = fields.map(columnName);
      statements = {
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
      writeStatements.set(table, statements);
    }
    return statements;
  };

  const applyBatchNow: ReadModelStore['applyBatch'] = async (projection, version, position, write) => {
    const db = open().writer;
    const tables = new Map<string, TableStatements>();
    const table = (collection: string): TableStatements => {
      let statements = tables.get(collection);
      if (!statements) {
        statements = statementsFor(db, collection, tableName(collection, version));
        tables.set(collection, statements);
      }
      return statements;
    };
    const batchWriter: ReadModelWriter = {
      get: async <T extends Document>(collection: string, key: string) => {
        const row = table(collection).get.get(key) as { doc: string } | undefined;
        return row ? (JSON.parse(row.doc) as T) : undefined;
      },
      find: async <T extends Document>(collection: string, query: Query) => findIn<T>(db, collection, version, query),
      put: async (collection, key, doc, docPosition) => {
        const statements = table(collection);
        statements.put.run(
          key,
          JSON.stringify(doc),
          docPosition,
          ...statements.fields.map((field) => columnValue(doc[field])),
        );
      },
      delete: async (collection, key) => {
        table(collection).remove.run(key);
      },
    };
    // better-sqlite3 transactions cannot span awaits, so the batch is bracketed by hand.
    // The writer's methods are synchronous underneath; nothing else uses this connection.
    prepare(db, 'BEGIN IMMEDIATE').run();
    try {
      const checkpoint = readCheckpointSync(projection, version);
      if (checkpoint === undefined || checkpoint < position) {
        await write(batchWriter);
        prepare(db, 'UPDATE projection_versions SET checkpoint = ? WHERE projection = ? AND version = ?').run(
          position,
          projection,
          version,
        );
      }
      prepare(db, 'COMMIT').run();
    } catch (error) {
      if (db.inTransaction) prepare(db, 'ROLLBACK').run();
      throw error;
    }
  };
  return store;
};
