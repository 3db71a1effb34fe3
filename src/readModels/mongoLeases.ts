import type { ClientSession, Db } from 'mongodb';
import { LeaseLostError, type Fence, type Lease, type LeaseStore } from './leases';

const LEASES = '_leases';

type LeaseRecord = { _id: string; owner: string; token: number; expiresAt: Date; fencedAt?: Date };

const toLease = (record: LeaseRecord | null): Lease | undefined =>
  record ? { name: record._id, owner: record.owner, token: record.token, expiresAt: record.expiresAt } : undefined;

const DUPLICATE_KEY = 11000;

/**
 * The leases of the MongoDB read models: one document per lease in `_leases`. Every
 * expiry is computed and compared with the server's clock ($$NOW in update pipelines),
 * so the processes' clocks may disagree.
 */
export const createMongoLeases = (db: () => Db): LeaseStore => {
  const leases = () => db().collection<LeaseRecord>(LEASES);
  const held = (owner: string) => ({ $and: [{ $eq: ['$owner', owner] }, { $gt: ['$expiresAt', '$$NOW'] }] });
  return {
    acquire: async (name, owner, ttlMs) => {
      const free = { $or: [{ $lte: ['$expiresAt', '$$NOW'] }, { $eq: ['$owner', owner] }] };
      try {
        const record = await leases().findOneAndUpdate(
          { _id: name, $expr: free },
          [
            {
              $set: {
                token: { $cond: [held(owner), '$token', { $add: [{ $ifNull: ['$token', 0] }, 1] }] },
                owner: { $literal: owner },
                expiresAt: { $add: ['$$NOW', ttlMs] },
              },
            },
          ],
          { upsert: true, returnDocument: 'after' },
        );
        return toLease(record);
      } catch (error) {
        // Held by another owner: the filter missed, and the upsert collided with the existing document.
        if ((error as { code?: number }).code === DUPLICATE_KEY) return undefined;
        throw error;
      }
    },
    renew: async (name, owner, token, ttlMs) =>
      toLease(
        await leases().findOneAndUpdate(
          { _id: name, owner, token, $expr: { $gt: ['$expiresAt', '$$NOW'] } },
          [{ $set: { expiresAt: { $add: ['$$NOW', ttlMs] } } }],
          { returnDocument: 'after' },
        ),
      ),
    release: async (name, owner, token) => {
      await leases().updateOne({ _id: name, owner, token }, [{ $set: { expiresAt: '$$NOW' } }]);
    },
    read: async (name) => toLease(await leases().findOne({ _id: name })),
  };
};

/**
 * The fencing check inside a batch's transaction. It writes the lease document, not just
 * reads it: a takeover committed while the batch runs then conflicts with the batch
 * (WriteConflict), and the retried transaction sees the new token and refuses.
 */
export const assertMongoFence = async (db: Db, session: ClientSession, fence: Fence) => {
  const result = await db
    .collection<LeaseRecord>(LEASES)
    .updateOne(
      { _id: fence.lease, token: fence.token, $expr: { $gt: ['$expiresAt', '$$NOW'] } },
      [{ $set: { fencedAt: '$$NOW' } }],
      { session },
    );
  if (result.matchedCount === 0) throw new LeaseLostError(fence);
};
