import type { AnyBulkWriteOperation, ClientSession, Collection, Db, Document as MongoDocument } from 'mongodb';
import { compileMongoQuery, fromStored, POSITION_FIELD, toStored } from './mongoQuery';
import type { Document, Query, ReadModelWriter } from './readModelStore';

/** Reads a query from one collection (also inside a batch's session). */
export const findIn = async <T extends Document>(
  collection: ReturnType<Db['collection']>,
  query: Query,
  session?: ClientSession,
): Promise<T[]> => {
  const { filter, sort, limit } = compileMongoQuery(query);
  // MongoDB reads limit 0 as "no limit".
  if (limit === 0) return [];
  let cursor = collection.find(filter, { session, sort });
  if (limit !== undefined) cursor = cursor.limit(limit);
  return (await cursor.toArray()).map((stored) => fromStored<T>(stored) as T);
};

type PendingWrite = { kind: 'put'; doc: Document; position: bigint } | { kind: 'delete' };

/**
 * One round trip, no duplicate-key error (which would abort the transaction): keep the
 * stored document when it was written at a later position.
 */
const toOperation = (key: string, write: PendingWrite): AnyBulkWriteOperation => {
  if (write.kind === 'delete') return { deleteOne: { filter: { _id: key as never } } };
  const replacement: MongoDocument = toStored(key, write.doc, write.position);
  return {
    updateOne: {
      filter: { _id: key as never },
      update: [
        {
          $replaceWith: {
            $cond: {
              if: { $gt: [`$${POSITION_FIELD}`, write.position] },
              then: '$$ROOT',
              else: { $literal: replacement },
            },
          },
        },
      ],
      upsert: true,
    },
  };
};

export type MongoBatchWriter = ReadModelWriter & {
  /** Sends the buffered writes: one `bulkWrite` per collection. Call before the checkpoint. */
  flush: () => Promise<void>;
};

/**
 * A batch's writes in its transaction session. Puts and deletes are buffered (the last
 * write of a key wins, and it carries the highest position) and sent by `flush` as one
 * bulkWrite per collection, instead of a round trip per event. A get of a key written in
 * this batch answers from the buffer; a find sends the buffer first. The buffered answer
 * differs from the store's only when the stored document is newer than this batch, which
 * a checkpoint committed with its documents rules out.
 */
export const createMongoBatchWriter = (
  collectionOf: (collection: string) => Collection,
  session: ClientSession,
): MongoBatchWriter => {
  let pending = new Map<string, Map<string, PendingWrite>>();

  const buffer = (collection: string, key: string, write: PendingWrite) => {
    let writes = pending.get(collection);
    if (!writes) {
      writes = new Map();
      pending.set(collection, writes);
    }
    writes.set(key, write);
  };

  const flush = async () => {
    const flushing = pending;
    pending = new Map();
    // One operation at a time: the driver does not support parallel operations in a transaction.
    for (const [collection, writes] of flushing) {
      const operations = [...writes].map(([key, write]) => toOperation(key, write));
      await collectionOf(collection).bulkWrite(operations, { session, ordered: true });
    }
  };

  return {
    get: async <T extends Document>(collection: string, key: string) => {
      const buffered = pending.get(collection)?.get(key);
      if (buffered) return buffered.kind === 'put' ? (buffered.doc as T) : undefined;
      return fromStored<T>(await collectionOf(collection).findOne({ _id: key as never }, { session }));
    },
    find: async <T extends Document>(collection: string, query: Query) => {
      await flush();
      return findIn<T>(collectionOf(collection), query, session);
    },
    put: async (collection, key, doc, position) => buffer(collection, key, { kind: 'put', doc, position }),
    delete: async (collection, key) => buffer(collection, key, { kind: 'delete' }),
    flush,
  };
};
