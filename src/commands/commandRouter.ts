import { Router } from 'express';
import type { Config } from '../config';
import type { EventStore } from '../eventStore/eventStore';
import type { VerifyToken } from '../http/auth';
import type { Logger } from '../logger';
import type { Projections } from '../projections/projections';
import { createChannelRoutes } from './channel/channelRoutes';
import { createPostRoutes } from './channel/postRoutes';
import { createDiscussionRoutes } from './discussion/discussionRoutes';
import { createMobileMessageRoutes } from './discussion/mobileMessageRoutes';
import { createModerationRoutes } from './discussion/moderationRoutes';
import { createMembershipRoutes } from './membership/membershipRoutes';
import type { RouteDeps } from './routeKit';
import { createIntegrationRoutes } from './userAccess/integrationRoutes';
import type { BlockSizes } from './sequence/idAllocator';
import { createWriteModel, type AppliedReadModels } from './writeModel';
import type { SnapshotStore } from './snapshots/snapshotStore';

/** Every command route: admin, integration and mobile writes. */
export const createCommandRouter = (deps: {
  config: Config;
  eventStore: EventStore;
  verifyToken: VerifyToken;
  now: () => Date;
  projections: Projections;
  appliedIds: AppliedReadModels;
  snapshots?: SnapshotStore;
  logger: Logger;
  /** Id block sizes per sequence; defaults in sequence/idAllocator.ts. */
  blockSizes?: Partial<BlockSizes>;
}): Router => {
  const model = createWriteModel({
    eventStore: deps.eventStore,
    now: deps.now,
    appliedIds: deps.appliedIds,
    blockSizes: deps.blockSizes,
    snapshots: deps.snapshots,
    // A snapshot that cannot be used or saved only costs a longer fold: worth a warning, not a failure.
    onSnapshotError: (error) => deps.logger.warn({ err: error }, 'command state snapshot not used'),
  });
  const routeDeps: RouteDeps = {
    config: deps.config,
    model,
    verifyToken: deps.verifyToken,
    projections: deps.projections,
  };
  const router = Router();
  router.use(createChannelRoutes(routeDeps));
  router.use(createPostRoutes(routeDeps));
  router.use(createDiscussionRoutes(routeDeps));
  router.use(createModerationRoutes(routeDeps));
  router.use(createMobileMessageRoutes(routeDeps));
  router.use(createMembershipRoutes(routeDeps));
  router.use(createIntegrationRoutes(routeDeps));
  return router;
};
