import type { Document as MongoDocument } from 'mongodb';

/** The part of `db.admin()` the check uses. */
export type MongoAdmin = { command: (command: MongoDocument) => Promise<MongoDocument> };

/** Dotted field names in stored documents (`chat.discussion`) need 5.0. */
export const MIN_MONGO_MAJOR = 5;

export class MongoServerUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MongoServerUnsupportedError';
  }
}

const majorOf = (version: unknown): number | undefined => {
  if (typeof version !== 'string') return undefined;
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  return Number.isFinite(major) ? major : undefined;
};

/**
 * Fails start-up with a clear message unless the server can run this adapter: every batch
 * is a multi-document transaction, which needs a replica-set member (a single node started
 * with --replSet will do), and the stored documents need MongoDB 5.0 or later.
 */
export const checkMongoServer = async (admin: MongoAdmin, url: string): Promise<void> => {
  // `hello` (4.4.2+) names the replica set in `setName`; older servers only know `isMaster`.
  const hello = await admin.command({ hello: 1 }).catch(() => admin.command({ isMaster: 1 }));
  const where = `MongoDB at ${url.replace(/\/\/[^@/]*@/, '//***@')}`;
  // A mongos router (`msg: 'isdbgrid'`) fronts shards that are replica sets: transactions work there too.
  const replicated = (typeof hello.setName === 'string' && hello.setName !== '') || hello.msg === 'isdbgrid';
  if (!replicated) {
    throw new MongoServerUnsupportedError(
      `${where} is not a replica-set member: the read models write each batch in a transaction, ` +
        'which MongoDB only offers on a replica set (start mongod with --replSet and run rs.initiate(), ' +
        'a one-node set is enough)',
    );
  }
  const build = await admin.command({ buildInfo: 1 });
  const major = majorOf(build.version);
  if (major === undefined || major < MIN_MONGO_MAJOR) {
    throw new MongoServerUnsupportedError(
      `${where} runs MongoDB ${String(build.version)}; the read models need ${MIN_MONGO_MAJOR}.0 or later`,
    );
  }
};
