import { evolveUserAccess, initialUserAccessState } from '../commands/userAccess/userAccessEvents';
import { collections, type UserAccessDoc } from './documents';
import { defineProjection } from './projection';

/**
 * Each user's latest entitlement and feature grants (key: user id). It folds with the
 * write side's own `evolve`, so the access decision sees the same grants on both sides.
 */
export const userAccessProjection = defineProjection({
  name: 'userAccess',
  collections: [{ name: collections.userAccess, indexes: [] }],
  eventTypes: ['EntitlementGranted', 'EntitlementRevoked', 'FeatureGranted', 'FeatureRevoked'],
  apply: async (event, writer) => {
    const { userId } = event.data;
    const current = await writer.get<UserAccessDoc>(collections.userAccess, userId);
    const state = current
      ? { entitlements: current.entitlements, features: current.features }
      : initialUserAccessState();
    const next = evolveUserAccess(state, event);
    const doc: UserAccessDoc = { userId, entitlements: next.entitlements, features: next.features };
    await writer.put(collections.userAccess, userId, doc);
  },
});
