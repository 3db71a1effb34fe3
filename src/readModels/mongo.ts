import { MongoClient, type ClientSession, type Db } from 'mongodb';
import { createMongoBatchWriter, findIn, type MongoBatchWriter } from './mongoBatchWriter';
import { assertMongoFence, createMongoLeases } from './mongoLeases';
import { checkMongoServer } from './mongoServerCheck';
import { fromStored, toBigInt } from './mongoQuery';
import type { Document, Query, ReadModelStore } from './readModelStore';
import { createVersionedCollections, FIRST_VERSION } from './versionedCollections';

export type MongoReadModelStoreOptions = {
  url: string;
  database: string;
  /** How long a process trusts its cached active versions (another process may switch them). */
  versionCacheMs?: number;
  /** Most events in one batch's transaction (default 1000); see `createMongoReadModelStore`. */
  maxBatchEvents?: number;
  /** How long a batch's commit may wait for its write concern (default 10 s). */
  maxCommitTimeMS?: number;
  /** Tests hand in a client with a fake driver surface; production connects to `url`. */
  createClient?: (url: string) => MongoClient;
};

const VERSIONS = '_projection_versions';
const ACTIVE = '_projection_active';

type VersionRecord = { _id: string; projection: string; version: number; checkpoint: unknown };
type ActiveRecord = { _id: string; version: number };

const versionId = (projection: string, version: number) => `${projection}:${version}`;

/**
 * Production read models: a MongoDB collection per (collection, version) with `_id` =
 * document key and the document's fields at the top level (indexed as declared), a meta
 * collection for versions, checkpoints and the active version. Each batch runs in one
 * transaction (session.withTransaction) with its checkpoint, so MongoDB must run as a
 * replica set (docker-compose does; `start` checks it, and MongoDB >= 5.0). Every put
 * carries the event position and only replaces a document written at the same or an
 * earlier position.
 *
 * MongoDB aborts a transaction that runs past 60 s (transactionLifetimeLimitSeconds), and a
 * batch that always does would be retried forever. A batch is bounded instead: at most
 * `maxBatchEvents` events (the runner takes smaller batches from this store), its writes
 * sent as one bulkWrite per collection, so the round trips left are one read per document
 * a projection reads before writing (a few per event at most) and the commit, whose wait
 * for the write concern `maxCommitTimeMS` bounds.
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

  const batchWriter = (version: number, session: ClientSession): MongoBatchWriter =>
    createMongoBatchWriter((collection) => open().db.collection(versions.storedName(collection, version)), session);

  const store: ReadModelStore = {
    register: versions.register,

    start: async () => {
      client = options.createClient?.(options.url) ?? new MongoClient(options.url, { useBigInt64: true });
      await client.connect();
      await checkMongoServer(client.db('admin').admin(), options.url);
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
    leases: createMongoLeases(() => open().db),

    maxBatchEvents: options.maxBatchEvents ?? 1000,

    applyBatch: async (projection, version, position, write, fence) => {
      const session = open().client.startSession();
      try {
        // withTransaction retries the callback on errors labelled TransientTransactionError and
        // the commit on UnknownTransactionCommitResult: errors from `write` must reach it as they are.
        await session.withTransaction(
          async () => {
            if (fence) await assertMongoFence(open().db, session, fence);
            const checkpoint = await readCheckpoint(projection, version, session);
            if (checkpoint !== undefined && checkpoint >= position) return;
            const writer = batchWriter(version, session);
            await write(writer);
            await writer.flush();
            await open()
              .db.collection<VersionRecord>(VERSIONS)
              .updateOne(
                { _id: versionId(projection, version) },
                { $set: { checkpoint: position, projection, version } },
                { upsert: true, session },
              );
          },
          { maxCommitTimeMS: options.maxCommitTimeMS ?? 10_000 },
        );
      } finally {
        await session.endSession();
      }
    },
  };
  return store;
};
