import type { Grants } from '../access/channelAccess';
import type { ChannelKind, ChannelStatus, ChannelVisibility } from '../commands/channel/channelEvents';
import type { PostState } from '../commands/channel/channelState';
import type { MessageState } from '../commands/discussion/discussionState';
import type { AccessPolicy } from '../access/channelAccess';

/**
 * Read-model documents: the contract between projections (which write them) and
 * queries, the realtime gateway and push fan-out (which read them). Collection names
 * are the keys of `collections`; document keys are described per collection.
 */
export const collections = {
  /** key: String(channelId) */
  channels: 'channels',
  /** key: String(postId) */
  posts: 'posts',
  /** key: String(discussionId) */
  discussions: 'discussions',
  /** key: String(messageId) */
  discussionMessages: 'discussionMessages',
  /** key: `${discussionId}:${userId}` */
  discussionRestrictions: 'discussionRestrictions',
  /** key: `${channelId}:${userId}` */
  memberships: 'memberships',
  /** key: userId */
  userAccess: 'userAccess',
  /** key: `${channelId}:${userId}` */
  readStates: 'readStates',
} as const;

export type ChannelDoc = {
  id: number;
  kind: ChannelKind;
  accessPolicy: AccessPolicy;
  status: ChannelStatus;
  visibility: ChannelVisibility;
  title: string;
  description: string | null;
  entitlementKey: string | null;
  discussionId: number | null;
  createdByAdminId: string;
  createdAt: string;
  updatedAt: string;
};

/** A post as the write model folds it (shared fold: applyPostChange), keyed and placed. */
export type PostDoc = Omit<PostState, 'postId'> & { id: number; channelId: number; createdAt: string };

export type DiscussionDoc = {
  id: number;
  channelId: number;
  title: string;
  isEnabled: boolean;
  requiredFeatureKey: string | null;
  slowModeEnabled: boolean;
  slowModeIntervalSeconds: number | null;
  createdByAdminId: string;
  createdAt: string;
  updatedAt: string;
};

/** A message as the write model folds it (shared fold: applyMessageChange), keyed and placed. */
export type DiscussionMessageDoc = Omit<MessageState, 'messageId'> & {
  id: number;
  discussionId: number;
  channelId: number;
};

export type DiscussionRestrictionDoc = {
  discussionId: number;
  channelId: number;
  userId: string;
  ban: { until: string | null; reason: string | null; bannedAt: string } | null;
  mute: { until: string; mutedAt: string } | null;
};

export type MembershipDoc = {
  channelId: number;
  userId: string;
  isJoined: boolean;
  joinedAt: string | null;
  leftAt: string | null;
};

export type UserAccessDoc = {
  userId: string;
  entitlements: Grants;
  features: Grants;
};

export type ReadStateDoc = {
  channelId: number;
  userId: string;
  /** Post id as a string, as in the API. */
  lastSeenPostId: string;
  lastSeenAt: string;
};
