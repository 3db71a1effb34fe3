import { isGrantActive, type Grant } from '../../access/channelAccess';
import type { Decider } from '../commandHandler';
import {
  evolveUserAccess,
  initialUserAccessState,
  type UserAccessEvent,
  type UserAccessState,
} from './userAccessEvents';

type GrantData = { userId: string; key: string; validUntil: string | null; now: string };
type RevokeData = { userId: string; key: string; now: string };

export type GrantEntitlement = { type: 'GrantEntitlement'; data: GrantData };
export type RevokeEntitlement = { type: 'RevokeEntitlement'; data: RevokeData };
export type GrantFeature = { type: 'GrantFeature'; data: GrantData };
export type RevokeFeature = { type: 'RevokeFeature'; data: RevokeData };

export type UserAccessCommand = GrantEntitlement | RevokeEntitlement | GrantFeature | RevokeFeature;

/** Re-sending the grant that is already in force changes nothing. */
const isSameActiveGrant = (grant: Grant | undefined, validUntil: string | null, now: string) =>
  grant !== undefined && isGrantActive(grant, new Date(now)) && grant.validUntil === validUntil;

/** Revoking what is not in force (never granted, revoked, or expired) changes nothing: the loss time stays. */
const isInForce = (grant: Grant | undefined, now: string) => isGrantActive(grant, new Date(now));

export const decideUserAccess = (command: UserAccessCommand, state: UserAccessState): UserAccessEvent[] => {
  switch (command.type) {
    case 'GrantEntitlement': {
      const { userId, key, validUntil, now } = command.data;
      if (isSameActiveGrant(state.entitlements[key], validUntil, now)) return [];
      return [{ type: 'EntitlementGranted', data: { userId, entitlementKey: key, validUntil, grantedAt: now } }];
    }
    case 'RevokeEntitlement': {
      const { userId, key, now } = command.data;
      if (!isInForce(state.entitlements[key], now)) return [];
      return [{ type: 'EntitlementRevoked', data: { userId, entitlementKey: key, revokedAt: now } }];
    }
    case 'GrantFeature': {
      const { userId, key, validUntil, now } = command.data;
      if (isSameActiveGrant(state.features[key], validUntil, now)) return [];
      return [{ type: 'FeatureGranted', data: { userId, featureKey: key, validUntil, grantedAt: now } }];
    }
    case 'RevokeFeature': {
      const { userId, key, now } = command.data;
      if (!isInForce(state.features[key], now)) return [];
      return [{ type: 'FeatureRevoked', data: { userId, featureKey: key, revokedAt: now } }];
    }
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const userAccessDecider: Decider<UserAccessState, UserAccessCommand, UserAccessEvent> = {
  decide: decideUserAccess,
  evolve: evolveUserAccess,
  initialState: initialUserAccessState,
};
