import type Database from 'better-sqlite3';
import { checkpointInBackground } from '../walCheckpoints/backgroundCheckpoints';
import type { Document, Query, ReadModelStore } from './readModelStore';
import { createSqliteBatches } from './sqliteBatches';
import { createSqliteLeases } from './sqliteLeases';
import { compileQuery } from './sqliteQuery';
import { createVersionTables, dropVersionTables, openSqliteReadModels } from './sqliteSchema';
import { createVersionedCollections, FIRST_VERSION } from './versionedCollections';

export type SqliteReadModelStoreOptions = {
  /** File path, or ':memory:'. */
  path: string;
  /** How long a process trusts its cached active versions (another process may switch them). */
  versionCacheMs?: number;
};

/**
 * Embedded read models: one SQLite file (separate from the event log), a table per
 * collection and version holding JSON documents, expression indexes on the queried
 * fields. Writes go through one connection, reads through another, so a query never
 * sees half of a batch. The writer connection serves one batch, or one other call, at a
 * time (`exclusive`): a batch computes inside a read transaction of its own.
 * synchronous=NORMAL: a power loss may roll back the last batches, but their checkpoint
 * rolls back with them and they are re-applied.
 */
export const createSqliteReadModelStore = (options: SqliteReadModelStoreOptions): ReadModelStore => {
  const versions = createVersionedCollections(options.versionCacheMs ?? 1000);
  /** Per collection, the fields its indexes use: each gets a column `f_<field>`. */
  const columnsOf = new Map<string, string[]>();
  const columnSets = new Map<string, ReadonlySet<string>>();
  let connections: { writer: Database.Database; reader: Database.Database } | undefined;
  let stopCheckpoints: () => Promise<void> = async () => undefined;

  const open = () => {
    if (!connections) throw new Error('Read-model store is not started');
    return connections;
  };

  const statementCache = new Map<string, Database.Statement>();
  const prepare = (db: Database.Database, sql: string): Database.Statement => {
    const key = `${db === connections?.writer ? 'w' : 'r'}:${sql}`;
    let statement = statementCache.get(key);
    if (!statement) {
      statement = db.prepare(sql);
      statementCache.set(key, statement);
    }
    return statement;
  };

  const activeVersionSync = (projection: string): number => {
    const cached = versions.cachedActive(projection);
    if (cached !== undefined) return cached;
    const row = prepare(open().reader, 'SELECT version FROM projection_active WHERE projection = ?').get(projection) as
      { version: number } | undefined;
    return versions.remember(projection, row?.version ?? FIRST_VERSION);
  };

  // Indexes serve queries, which read the active version only: a version being built gets
  // its indexes when it is activated, in one pass over its rows, several times cheaper than
  // keeping them up to date row by row while a rebuild writes every row.
  const prepareVersionSync = (projection: string, version: number, withIndexes: boolean) =>
    createVersionTables(
      open().writer,
      projection,
      version,
      versions.collectionsAt(projection, version),
      (collection) => columnsOf.get(collection) ?? [],
      withIndexes,
    );

  const findIn = <T extends Document>(db: Database.Database, collection: string, version: number, query: Query) => {
    const { sql, params } = compileQuery(versions.storedName(collection, version), query, columnSets.get(collection));
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

  const batches = createSqliteBatches({
    writer: () => open().writer,
    prepare,
    storedName: versions.storedName,
    columnsOf: (collection) => columnsOf.get(collection) ?? [],
    find: findIn,
    readCheckpoint: readCheckpointSync,
  });

  const forgetStatements = () => {
    statementCache.clear();
    batches.clear();
  };

  const store: ReadModelStore = {
    register: (spec) => {
      versions.register(spec);
      spec.collections.forEach((collection) => {
        const fields = [...new Set(collection.indexes.flat())];
        columnsOf.set(collection.name, fields);
        columnSets.set(collection.name, new Set(fields));
      });
    },

    start: async () => {
      connections = openSqliteReadModels(options.path);
      for (const projection of versions.projections())
        prepareVersionSync(projection, activeVersionSync(projection), true);
      stopCheckpoints = checkpointInBackground(connections.writer, options.path);
    },

    close: async () => {
      const closeNow = () => {
        forgetStatements();
        versions.forget();
        if (connections && connections.reader !== connections.writer) connections.reader.close();
        connections?.writer.close();
        connections = undefined;
      };
      await stopCheckpoints();
      // After the batch in progress (it holds a read transaction across awaits), never inside it.
      if (connections) await batches.exclusive(closeNow);
      else closeNow();
    },

    get: async <T extends Document>(collection: string, key: string) => {
      const table = versions.storedName(collection, activeVersionSync(versions.ownerOf(collection)));
      const row = prepare(open().reader, `SELECT doc FROM "${table}" WHERE key = ?`).get(key) as
        { doc: string } | undefined;
      return row ? (JSON.parse(row.doc) as T) : undefined;
    },

    find: async <T extends Document>(collection: string, query: Query) =>
      findIn<T>(open().reader, collection, activeVersionSync(versions.ownerOf(collection)), query),

    activeVersion: async (projection) => {
      versions.forget(projection);
      return activeVersionSync(projection);
    },

    listVersions: async (projection) => {
      const active = await store.activeVersion(projection);
      const rows = await batches.exclusive(
        (db) =>
          prepare(db, 'SELECT version, checkpoint FROM projection_versions WHERE projection = ? ORDER BY version')
            .safeIntegers(true)
            .all(projection) as Array<{ version: bigint; checkpoint: bigint | null }>,
      );
      const described = rows.map((row) => ({ version: Number(row.version), checkpoint: row.checkpoint ?? undefined }));
      return versions.describe(described, active);
    },

    prepareVersion: (projection, version) =>
      batches.exclusive(() => {
        // Decided in turn, so a version activated by a call queued before this one counts.
        versions.forget(projection);
        prepareVersionSync(projection, version, version === activeVersionSync(projection));
      }),

    activateVersion: async (projection, version) => {
      await batches.exclusive((db) => {
        prepareVersionSync(projection, version, true);
        db.prepare(
          'INSERT INTO projection_active (projection, version) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET version = excluded.version',
        ).run(projection, version);
      });
      versions.forget(projection);
    },

    dropVersion: async (projection, version) => {
      versions.assertDroppable(projection, version, await store.activeVersion(projection));
      await batches.exclusive((db) => {
        forgetStatements();
        dropVersionTables(db, projection, version, versions.collectionsAt(projection, version));
      });
    },

    readCheckpoint: (projection, version) => batches.exclusive(() => readCheckpointSync(projection, version)),

    applyBatch: batches.apply,

    leases: createSqliteLeases({ exclusive: batches.exclusive, prepare }),
  };
  return store;
};
