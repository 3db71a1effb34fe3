import type { Grants } from '../../access/channelAccess';

/**
 * What the subscription system told us about one user. A grant with `validUntil`
 * ends at that instant exactly like a revoke; no event marks the expiry, the access
 * decision derives it from the grant and the clock (see access/channelAccess.ts).
 */
export type EntitlementGranted = {
  type: 'EntitlementGranted';
  data: { userId: string; entitlementKey: string; validUntil: string | null; grantedAt: string };
};

export type EntitlementRevoked = {
  type: 'EntitlementRevoked';
  data: { userId: string; entitlementKey: string; revokedAt: string };
};

export type FeatureGranted = {
  type: 'FeatureGranted';
  data: { userId: string; featureKey: string; validUntil: string | null; grantedAt: string };
};

export type FeatureRevoked = {
  type: 'FeatureRevoked';
  data: { userId: string; featureKey: string; revokedAt: string };
};

export type UserAccessEvent = EntitlementGranted | EntitlementRevoked | FeatureGranted | FeatureRevoked;

/** The latest grant of each entitlement and feature: exactly what access/channelAccess.ts decides on. */
export type UserAccessState = { entitlements: Grants; features: Grants };

export const initialUserAccessState = (): UserAccessState => ({ entitlements: {}, features: {} });

const revoke = (grants: Grants, key: string, revokedAt: string): Grants => {
  const grant = grants[key];
  return grant ? { ...grants, [key]: { ...grant, revokedAt } } : grants;
};

export const evolveUserAccess = (state: UserAccessState, event: UserAccessEvent): UserAccessState => {
  switch (event.type) {
    case 'EntitlementGranted': {
      const { entitlementKey, validUntil, grantedAt } = event.data;
      return {
        ...state,
        entitlements: { ...state.entitlements, [entitlementKey]: { grantedAt, validUntil, revokedAt: null } },
      };
    }
    case 'EntitlementRevoked':
      return { ...state, entitlements: revoke(state.entitlements, event.data.entitlementKey, event.data.revokedAt) };
    case 'FeatureGranted': {
      const { featureKey, validUntil, grantedAt } = event.data;
      return { ...state, features: { ...state.features, [featureKey]: { grantedAt, validUntil, revokedAt: null } } };
    }
    case 'FeatureRevoked':
      return { ...state, features: revoke(state.features, event.data.featureKey, event.data.revokedAt) };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};
