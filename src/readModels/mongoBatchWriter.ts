import type { ClientSession, Collection, Db, Document as MongoDocument } from 'mongodb';
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

/** A batch's writes in its transaction session; a put never replaces a document written at a later position. */
export const createMongoBatchWriter = (
  collectionOf: (collection: string) => Collection,
  session: ClientSession,
): ReadModelWriter => {
  return {
    get: async <T extends Document>(collection: string, key: string) =>
      fromStored<T>(await collectionOf(collection).findOne({ _id: key as never }, { session })),
    find: <T extends Document>(collection: string, query: Query) => findIn<T>(collectionOf(collection), query, session),
    put: async (collection, key, doc, position) => {
      // One round trip, no duplicate-key error (which would abort the transaction):
      // keep the stored document when it was written at a later position.
      const replacement: MongoDocument = toStored(key, doc, position);
      await collectionOf(collection).updateOne(
        { _id: key as never },
        [
          {
            $replaceWith: {
              $cond: {
                if: { $gt: [`$${POSITION_FIELD}`, position] },
                then: '$$ROOT',
                else: { $literal: replacement },
              },
            },
          },
        ],
        { upsert: true, session },
      );
    },
    delete: async (collection, key) => {
      await collectionOf(collection).deleteOne({ _id: key as never }, { session });
    },
  };
};
