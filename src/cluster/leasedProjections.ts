import type { EventStore } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import type { Projection } from '../projections/projection';
import { createProjections, type Projections } from '../projections/projections';
import type { ReadModelStore } from '../readModels/readModelStore';
import { fencedReadModels } from './fencedReadModels';
import { createLeaseKeeper, type LeaseRole, type LeaseTiming } from './leaseKeeper';
import { createSharedProgress } from './sharedProgress';

export const PROJECTOR_LEASE = 'projector';

export type LeasedProjections = Projections & { leaseRole: () => LeaseRole };

/**
 * The projector role with a lease: exactly one process per read-model store runs the
 * projections; every batch it commits is fenced with its lease's token. A standby follows
 * the shared checkpoints instead (as an api-only node does), so its writes still read
 * their own, and takes over when the holder's lease expires.
 */
export const createLeasedProjections = (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  logger: Logger;
  owner: string;
  timing: LeaseTiming;
  projections?: Projection[];
}): LeasedProjections => {
  const standbyProgress = createSharedProgress(deps);
  const keeper = createLeaseKeeper({
    leases: deps.readModels.leases,
    name: PROJECTOR_LEASE,
    owner: deps.owner,
    timing: deps.timing,
    logger: deps.logger,
    // Writes keep waiting on the shared checkpoints until the projections run here.
    activate: async () => {
      await active.start();
      await standbyProgress.stop();
    },
    deactivate: () => active.stop(),
    standBy: () => standbyProgress.start(),
  });
  const active = createProjections({
    ...deps,
    readModels: fencedReadModels(deps.readModels, keeper),
  });
  const current = () => (keeper.role() === 'active' ? active : standbyProgress);

  return {
    start: () => keeper.start(),
    stop: async () => {
      await keeper.stop();
      await standbyProgress.stop();
    },
    waitForPosition: (position, timeoutMs) => current().waitForPosition(position, timeoutMs),
    caughtUp: () => current().caughtUp(),
    status: () => current().status(),
    appliedTotals: () => active.appliedTotals(),
    syncActiveVersions: () => current().syncActiveVersions(),
    leaseRole: keeper.role,
  };
};
