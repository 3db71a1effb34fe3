import { MongoClient, MongoServerError, type ClientSession } from 'mongodb';

/**
 * The driver surface the MongoDB read-model adapter calls, faked just enough to test how the
 * adapter handles the driver's behaviour; it is not a MongoDB and no store test runs on it.
 * Sessions are the driver's own `ClientSession` (from a client that never connects), so
 * `withTransaction` and its retry rules are the installed driver's code
 * (node_modules/mongodb/lib/sessions.js). What would reach a server is faked here: the
 * collections, whose writes in a transaction are staged and applied on commit and dropped on
 * abort, and the admin commands.
 */

type Doc = Record<string, unknown>;
type Docs = Map<string, Doc>;
type Call = { collection: string; method: string; inTransaction: boolean; maxCommitTimeMS?: number };

/** A write conflict as a replica set reports it inside a transaction. */
export const transientTransactionError = (): MongoServerError =>
  new MongoServerError({
    message: 'WriteConflict error: this operation conflicted with another operation',
    code: 112,
    codeName: 'WriteConflict',
    errorLabels: ['TransientTransactionError'],
  });

export const plainServerError = (): MongoServerError =>
  new MongoServerError({ message: 'not authorized on readmodels', code: 13, codeName: 'Unauthorized' });

const keyOf = (filter: Doc): string => String(filter._id);

/** Applies the update forms the adapter sends: $set / $setOnInsert, and its $replaceWith pipeline. */
const applyUpdate = (existing: Doc | undefined, filter: Doc, update: unknown): Doc => {
  if (Array.isArray(update)) {
    const replaceWith = (update[0] as { $replaceWith: { $cond: { if: { $gt: [string, bigint] }; else: Doc } } })
      .$replaceWith.$cond;
    const position = replaceWith.if.$gt[1];
    if (existing && (existing._position as bigint) > position) return existing;
    return { ...(replaceWith.else.$literal as Doc) };
  }
  const { $set = {}, $setOnInsert = {} } = update as { $set?: Doc; $setOnInsert?: Doc };
  return existing ? { ...existing, ...$set } : { _id: filter._id, ...$setOnInsert, ...$set };
};

export const createFakeMongoDriver = (
  admin: { hello?: Doc; helloUnsupported?: boolean; buildInfo?: Doc } = {},
): {
  client: MongoClient;
  calls: Call[];
  /** The next call of `method` on a collection whose name starts with `prefix` throws `error`. */
  failNext: (method: string, prefix: string, error: Error) => void;
  close: () => Promise<void>;
} => {
  const realClient = new MongoClient('mongodb://127.0.0.1:1/?replicaSet=rs0', { serverSelectionTimeoutMS: 50 });
  const committed = new Map<string, Docs>();
  const staged = new Map<ClientSession, Map<string, Docs>>();
  const calls: Call[] = [];
  const failures: Array<{ method: string; prefix: string; error: Error }> = [];

  const docsOf = (name: string, session?: ClientSession, forWrite = false): Docs => {
    if (!committed.has(name)) committed.set(name, new Map());
    if (!session) return committed.get(name) as Docs;
    let transaction = staged.get(session);
    if (!transaction) staged.set(session, (transaction = new Map()));
    if (!transaction.has(name)) {
      if (!forWrite) return committed.get(name) as Docs;
      transaction.set(name, new Map(committed.get(name)));
    }
    return transaction.get(name) as Docs;
  };

  // The driver keeps `maxCommitTimeMS` as the transaction's `maxTimeMS` (mongodb/lib/transactions.js).
  const called = (collection: string, method: string, session?: ClientSession) => {
    calls.push({
      collection,
      method,
      inTransaction: session?.inTransaction() ?? false,
      maxCommitTimeMS: session?.transaction.options.maxTimeMS,
    });
    const failure = failures.findIndex((f) => f.method === method && collection.startsWith(f.prefix));
    if (failure >= 0) throw failures.splice(failure, 1)[0].error;
  };

  const collection = (name: string) => ({
    findOne: async (filter: Doc, options?: { session?: ClientSession }) => {
      called(name, 'findOne', options?.session);
      return docsOf(name, options?.session).get(keyOf(filter)) ?? null;
    },
    updateOne: async (filter: Doc, update: unknown, options?: { session?: ClientSession }) => {
      called(name, 'updateOne', options?.session);
      const docs = docsOf(name, options?.session, true);
      docs.set(keyOf(filter), applyUpdate(docs.get(keyOf(filter)), filter, update));
    },
    deleteOne: async (filter: Doc, options?: { session?: ClientSession }) => {
      called(name, 'deleteOne', options?.session);
      docsOf(name, options?.session, true).delete(keyOf(filter));
    },
    bulkWrite: async (operations: Doc[], options?: { session?: ClientSession }) => {
      called(name, 'bulkWrite', options?.session);
      const docs = docsOf(name, options?.session, true);
      for (const operation of operations) {
        const { updateOne, deleteOne } = operation as {
          updateOne?: { filter: Doc; update: unknown };
          deleteOne?: { filter: Doc };
        };
        if (updateOne)
          docs.set(
            keyOf(updateOne.filter),
            applyUpdate(docs.get(keyOf(updateOne.filter)), updateOne.filter, updateOne.update),
          );
        if (deleteOne) docs.delete(keyOf(deleteOne.filter));
      }
    },
    createIndex: async () => 'index',
    find: () => ({
      sort: () => ({ toArray: async () => [...docsOf(name).values()] }),
      toArray: async () => [...docsOf(name).values()],
    }),
  });

  const adminCommand = async (command: Doc): Promise<Doc> => {
    if ('hello' in command && admin.helloUnsupported) {
      throw new MongoServerError({ message: "no such command: 'hello'", code: 59, codeName: 'CommandNotFound' });
    }
    if ('hello' in command || 'isMaster' in command) return admin.hello ?? { ismaster: true, setName: 'rs0' };
    if ('buildInfo' in command) return admin.buildInfo ?? { version: '7.0.14' };
    throw new Error(`fake admin: unknown command ${JSON.stringify(command)}`);
  };

  const startSession = (): ClientSession => {
    const session = realClient.startSession();
    const commit = session.commitTransaction.bind(session);
    const abort = session.abortTransaction.bind(session);
    // Where a server would commit or roll back: the staged writes become visible, or vanish.
    session.commitTransaction = async () => {
      called('$cmd', 'commitTransaction', session);
      for (const [name, docs] of staged.get(session) ?? []) committed.set(name, docs);
      staged.delete(session);
      return commit();
    };
    session.abortTransaction = async () => {
      staged.delete(session);
      return abort();
    };
    return session;
  };

  const db = {
    collection,
    listCollections: () => ({ toArray: async () => [] }),
    createCollection: async () => undefined,
    admin: () => ({ command: adminCommand }),
  };
  const client = {
    connect: async () => client,
    db: () => db,
    startSession,
    close: async () => undefined,
  } as unknown as MongoClient;

  return {
    client,
    calls,
    failNext: (method, prefix, error) => failures.push({ method, prefix, error }),
    close: () => realClient.close(),
  };
};
