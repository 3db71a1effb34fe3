import { Long, MongoClient, type ClientSession, type Db } from 'mongodb';
import { createMongoBatchWriter, findIn } from './mongoBatchWriter';
import { fromStored } from './mongoQuery';
import type { Document, Query, ReadModelStore, ReadModelWriter } from './readModelStore';
import { createVersionedCollections, FIRST_VERSION } from './versionedCollections';

export type MongoReadModelStoreOptions = {
  url: string;
  database: string;
  /** How long a process trusts its cached active versions (another process may switch them). */
  versionCacheMs?: number;
};

const VERSIONS = '_projection_versions';
const ACTIVE = '_projection_active';

type VersionRecord = { _id: string; projection: string; version: number; checkpoint: unknown };
type ActiveRecord = { _id: string; version: number };

const versionId = (projection: string, version: number) => `${projection}:${version}`;

/** Int64 values come back as bigint (useBigInt64), but older data or drivers may hand back Long or number. */
const toBigInt = (value: unknown): bigint | undefined => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'string') return BigInt(value);
  throw new TypeError(`Not a position: ${typeof value}`);
};

/**
 * Production read models: a MongoDB collection per (collection, version) with `_id` =
 * document key and the document's fields at the top level (indexed as declared), a meta
 * collection for versions, checkpoints and the active version. Each batch runs in one
 * transaction (session.withTransaction) with its checkpoint, so MongoDB must run as a
 * replica set (docker-compose does). Every put carries the event position and only
 * replaces a document written at the same or an earlier position.
 */
export const createMongoReadModelStore = (options: MongoReadModelStoreOptions): ReadModelStore => {
  const versions = createVersionedCollections(options.versionCacheMs ?? 1000);
  let client: MongoClient | undefined;
  let db: Db | undefined;

  const open = (): { client: MongoClient; db: Db } => {
    if (!client || !db) throw new Error('Read-model store is not started');
    return { client, db };
  };

  const activeVersionOf = async (projection: string): Promise<number> => {
    const cached = versions.cachedActive(projection);
    if (cached !== undefined) return cached;
    const record = await open().db.collection<ActiveRecord>(ACTIVE).findOne({ _id: projection });
    return versions.remember(projection, record?.version ?? FIRST_VERSION);
  };

  const activeCollection = async (collection: string) =>
    open().db.collection(versions.storedName(collection, await activeVersionOf(versions.ownerOf(collection))));

  const prepareVersion = async (projection: string, version: number) => {
    const { db: database } = open();
    const existing = new Set(
      (await database.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name),
    );
    for (const collection of versions.collectionsAt(projection, version)) {
      const name = collection.stored;
      // Another instance starting at the same time may create it first (NamespaceExists, code 48).
      if (!existing.has(name)) {
        await database.createCollection(name).catch((error: { code?: number }) => {
          if (error.code !== 48) throw error;
        });
      }
      for (const fields of collection.indexes) {
        await database.collection(name).createIndex(Object.fromEntries(fields.map((field) => [field, 1])));
      }
    }
    await database
      .collection<VersionRecord>(VERSIONS)
      .updateOne(
        { _id: versionId(projection, version) },
        { $setOnInsert: { projection, version, checkpoint: null } },
        { upsert: true },
      );
  };

  const readCheckpoint = async (projection: string, version: number, session?: ClientSession) => {
    const record = await open()
      .db.collection<VersionRecord>(VERSIONS)
      .findOne({ _id: versionId(projection, version) }, { session });
    return toBigInt(record?.checkpoint);
  };

  const batchWriter = (version: number, session: ClientSession): ReadModelWriter =>
    createMongoBatchWriter((collection) => open().db.collection(versions.storedName(collection, version)), session);

  const store: ReadModelStore = {
    register: versions.register,

    start: async () => {
      client = new MongoClient(options.url, { useBigInt64: true });
      await client.connect();
      db = client.db(options.database);
      for (const projection of versions.projections())
        await prepareVersion(projection, await activeVersionOf(projection));
    },

    close: async () => {
      await client?.close();
      client = undefined;
      db = undefined;
      versions.forget();
    },

    get: async <T extends Document>(collection: string, key: string) =>
      fromStored<T>(await (await activeCollection(collection)).findOne({ _id: key as never })),

    find: async <T extends Document>(collection: string, query: Query) =>
      findIn<T>(await activeCollection(collection), query),

    activeVersion: async (projection) => {
      versions.forget(projection);
      return activeVersionOf(projection);
    },

    listVersions: async (projection) => {
      const active = await store.activeVersion(projection);
      const records = await open()
        .db.collection<VersionRecord>(VERSIONS)
        .find({ projection })
        .sort({ version: 1 })
        .toArray();
      return versions.describe(
        records.map((record) => ({ version: record.version, checkpoint: toBigInt(record.checkpoint) })),
        active,
      );
    },

    prepareVersion,

    activateVersion: async (projection, version) => {
      await open()
        .db.collection<ActiveRecord>(ACTIVE)
        .updateOne({ _id: projection }, { $set: { version } }, { upsert: true });
      versions.forget(projection);
    },

    dropVersion: async (projection, version) => {
      versions.assertDroppable(projection, version, await store.activeVersion(projection));
      const { db: database } = open();
      const existing = new Set(
        (await database.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name),
      );
      for (const { stored } of versions.collectionsAt(projection, version)) {
        if (existing.has(stored)) await database.collection(stored).drop();
      }
      await database.collection<VersionRecord>(VERSIONS).deleteOne({ _id: versionId(projection, version) });
    },

    readCheckpoint: (projection, version) => readCheckpoint(projection, version),

    applyBatch: async (projection, version, position, write) => {
      const session = open().client.startSession();
      try {
        // withTransaction retries the callback on transient errors; `write` only touches this transaction.
        await session.withTransaction(async () => {
          const checkpoint = await readCheckpoint(projection, version, session);
          if (checkpoint !== undefined && checkpoint >= position) return;
          await write(batchWriter(version, session));
          await open()
            .db.collection<VersionRecord>(VERSIONS)
            .updateOne(
              { _id: versionId(projection, version) },
              { $set: { checkpoint: position, projection, version } },
              { upsert: true, session },
            );
        });
      } finally {
        await session.endSession();
      }
    },
  };
  return store;
};
