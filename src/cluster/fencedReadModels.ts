import { LeaseLostError } from '../readModels/leases';
import type { ReadModelStore } from '../readModels/readModelStore';
import type { LeaseKeeper } from './leaseKeeper';

/**
 * The read-model store as a leased role's work sees it: every batch carries the fence of
 * the current term, checked inside the batch's transaction. A refused batch (the lease
 * was taken over or expired) tells the keeper, which stops the work and stands by.
 */
export const fencedReadModels = (
  readModels: ReadModelStore,
  keeper: Pick<LeaseKeeper, 'fence' | 'lost'>,
): ReadModelStore => ({
  ...readModels,
  applyBatch: async (projection, version, position, write) => {
    const fence = keeper.fence();
    if (!fence) throw new LeaseLostError({ lease: 'none held', token: 0 });
    try {
      await readModels.applyBatch(projection, version, position, write, fence);
    } catch (error) {
      if (error instanceof LeaseLostError) keeper.lost();
      throw error;
    }
  },
});
