/**
 * The one access decision, shared by the write side, REST queries, the realtime
 * gateway and push fan-out. Pure: every fact and the current time come in as
 * arguments, so each caller feeds it from its own store (aggregate state on the
 * write side, read models on the read side) and gets the same answer.
 */

export type AccessPolicy = 'OPEN' | 'EXTERNAL_GATED';

export type ChannelAccessFacts = {
  accessPolicy: AccessPolicy;
  entitlementKey: string | null;
};

/** The latest grant of one entitlement or feature to one user. */
export type Grant = {
  grantedAt: string;
  /** The grant ends at this instant unless renewed; null means open-ended. */
  validUntil: string | null;
  /** Set when the subscription system revoked the grant. */
  revokedAt: string | null;
};

export type Grants = Record<string, Grant | undefined>;

export type DiscussionAccessFacts = {
  isEnabled: boolean;
  requiredFeatureKey: string | null;
};

/** A ban or mute; `until` null means until lifted. */
export type Restriction = { until: string | null };

/** Broadcast pushes continue this long after a joined member loses the entitlement. */
export const PUSH_GRACE_PERIOD_MS = 7 * 24 * 60 * 60 * 1000;

const ms = (iso: string): number => Date.parse(iso);

export const isGrantActive = (grant: Grant | undefined, now: Date): boolean =>
  grant !== undefined &&
  grant.revokedAt === null &&
  (grant.validUntil === null || ms(grant.validUntil) > now.getTime());

/** When a grant stopped being active, or null while it is active (or never existed). */
export const grantLostAt = (grant: Grant | undefined, now: Date): string | null => {
  if (grant === undefined || isGrantActive(grant, now)) return null;
  if (grant.revokedAt !== null) {
    if (grant.validUntil !== null && ms(grant.validUntil) < ms(grant.revokedAt)) return grant.validUntil;
    return grant.revokedAt;
  }
  return grant.validUntil;
};

export const isRestrictionActive = (restriction: Restriction | undefined, now: Date): boolean =>
  restriction !== undefined && (restriction.until === null || ms(restriction.until) > now.getTime());

export type ChannelAccess =
  | { canRead: true; isLocked: false }
  /** `isLocked`: joined, but gated access was lost; the client shows the paywall shell. */
  | { canRead: false; isLocked: boolean; reason: 'ENTITLEMENT_REQUIRED' | 'AUTHENTICATION_REQUIRED' };

export const decideChannelAccess = (input: {
  channel: ChannelAccessFacts;
  /** Undefined for anonymous callers. */
  userId: string | undefined;
  entitlements: Grants;
  isJoined: boolean;
  now: Date;
}): ChannelAccess => {
  const { channel } = input;
  if (channel.accessPolicy === 'OPEN') return { canRead: true, isLocked: false };
  if (input.userId === undefined) return { canRead: false, isLocked: false, reason: 'AUTHENTICATION_REQUIRED' };
  const key = channel.entitlementKey;
  if (key !== null && isGrantActive(input.entitlements[key], input.now)) return { canRead: true, isLocked: false };
  return { canRead: false, isLocked: input.isJoined, reason: 'ENTITLEMENT_REQUIRED' };
};

export type DiscussionDenial = 'CHANNEL_ACCESS' | 'DISCUSSION_DISABLED' | 'FEATURE_REQUIRED' | 'BANNED';

/**
 * Read access to a discussion (and its realtime room): channel access first, then the
 * discussion's own rules. Enabled comes last, so DISCUSSION_DISABLED means every other
 * rule passed: such a user may still be shown the discussion itself (its `isEnabled`).
 */
export const decideDiscussionAccess = (input: {
  channelAccess: ChannelAccess;
  discussion: DiscussionAccessFacts;
  features: Grants;
  ban: Restriction | undefined;
  now: Date;
}): { allowed: true } | { allowed: false; reason: DiscussionDenial } => {
  if (!input.channelAccess.canRead) return { allowed: false, reason: 'CHANNEL_ACCESS' };
  const feature = input.discussion.requiredFeatureKey;
  if (feature !== null && !isGrantActive(input.features[feature], input.now)) {
    return { allowed: false, reason: 'FEATURE_REQUIRED' };
  }
  if (isRestrictionActive(input.ban, input.now)) return { allowed: false, reason: 'BANNED' };
  if (!input.discussion.isEnabled) return { allowed: false, reason: 'DISCUSSION_DISABLED' };
  return { allowed: true };
};

/**
 * Whether a joined member gets a broadcast push: OPEN channels always; gated ones while
 * the entitlement is active and for PUSH_GRACE_PERIOD_MS after it was lost.
 */
export const isPushEligible = (input: { channel: ChannelAccessFacts; entitlements: Grants; now: Date }): boolean => {
  const { channel } = input;
  if (channel.accessPolicy === 'OPEN') return true;
  if (channel.entitlementKey === null) return false;
  const grant = input.entitlements[channel.entitlementKey];
  if (isGrantActive(grant, input.now)) return true;
  const lostAt = grantLostAt(grant, input.now);
  return lostAt !== null && input.now.getTime() - ms(lostAt) < PUSH_GRACE_PERIOD_MS;
};
