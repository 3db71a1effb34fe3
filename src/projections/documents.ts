import type { Grants } from '../access/channelAccess';
import type {
  Attachment,
  ChannelKind,
  ChannelStatus,
  ChannelVisibility,
  PostType,
} from '../commands/channel/channelEvents';
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

export type PostDoc = {
  id: number;
  channelId: number;
  type: PostType;
  bodyText: string | null;
  linkUrl: string | null;
  chartPayloadJson: unknown | null;
  attachments: Attachment[];
  isPinned: boolean;
  pinnedAt: string | null;
  isDeleted: boolean;
  deletedAt: string | null;
  createdByAdminId: string;
  publishedAt: string;
  createdAt: string;
  updatedAt: string;
};

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

export type DiscussionMessageDoc = {
  id: number;
  discussionId: number;
  channelId: number;
  authorType: 'USER' | 'ADMIN';
  authorUserId: string | null;
  authorAdminId: string | null;
  body: string;
  isDeleted: boolean;
  deletedAt: string | null;
  deletedByUserId: string | null;
  deletedByAdminId: string | null;
  editedAt: string | null;
  editedByUserId: string | null;
  editedByAdminId: string | null;
  createdAt: string;
  updatedAt: string;
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
