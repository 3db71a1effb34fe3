import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { ClaimOutcome, IdempotencyStore } from './idempotencyStore';

const COLLECTION = '_idempotency_keys';
const DUPLICATE_KEY = 11000;

type Record = {
  _id: string;
  fingerprint: string;
  token: string;
  /** Absent while the request is in flight. */
  status?: number;
  /** The answer's body as JSON text: bodies may hold keys MongoDB refuses (`$…`, dots). */
  body?: string;
  lockedUntil: Date;
  expiresAt: Date;
};

/**
 * Idempotency records in a collection of the read-model database. A TTL index on
 * `expiresAt` removes them after 24 h; the TTL monitor runs about once a minute, so
 * a claim also treats an expired record as absent. The claim is an insert (unique
 * `_id`), or a replace conditioned on the stale record's token, so two processes
 * racing for one key cannot both win.
 */
export const createMongoIdempotencyStore = (options: { url: string; database: string }): IdempotencyStore => {
  let client: MongoClient | undefined;
  let collection: Collection<Record> | undefined;
  const open = (): Collection<Record> => {
    if (!collection) throw new Error('Idempotency store is not started');
    return collection;
  };
  const idOf = (scope: string, key: string) => `${scope}\n${key}`;

  return {
    start: async () => {
      client = await new MongoClient(options.url).connect();
      collection = client.db(options.database).collection<Record>(COLLECTION);
      await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    },
    close: async () => {
      await client?.close();
      client = undefined;
      collection = undefined;
    },
    claim: async ({ scope, key }, { fingerprint, now, lockMs, ttlMs }): Promise<ClaimOutcome> => {
      const records = open();
      const _id = idOf(scope, key);
      // Each round either decides or lost a race to another claimer; a few rounds always settle it.
      for (let round = 0; round < 5; round += 1) {
        const existing = await records.findOne({ _id });
        const live =
          existing && existing.expiresAt > now && (existing.status !== undefined || existing.lockedUntil > now);
        if (existing && live) {
          if (existing.fingerprint !== fingerprint) return { outcome: 'mismatch' };
          if (existing.status === undefined) return { outcome: 'inFlight' };
          return { outcome: 'replay', answer: { status: existing.status, body: JSON.parse(existing.body ?? 'null') } };
        }
        const token = randomUUID();
        const record: Record = {
          _id,
          fingerprint,
          token,
          lockedUntil: new Date(now.getTime() + lockMs),
          expiresAt: new Date(now.getTime() + ttlMs),
        };
        if (!existing) {
          try {
            await records.insertOne(record);
            return { outcome: 'claimed', token };
          } catch (error) {
            if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) continue;
            throw error;
          }
        }
        const replaced = await records.replaceOne({ _id, token: existing.token }, record);
        if (replaced.matchedCount === 1) return { outcome: 'claimed', token };
      }
      return { outcome: 'inFlight' };
    },
    complete: async ({ scope, key }, token, answer) => {
      await open().updateOne(
        { _id: idOf(scope, key), token },
        { $set: { status: answer.status, body: JSON.stringify(answer.body ?? null) } },
      );
    },
    release: async ({ scope, key }, token) => {
      await open().deleteOne({ _id: idOf(scope, key), token, status: { $exists: false } });
    },
  };
};
