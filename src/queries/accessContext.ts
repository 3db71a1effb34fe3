import {
  decideChannelAccess,
  decideDiscussionAccess,
  isRestrictionActive,
  type ChannelAccess,
  type DiscussionDenial,
} from '../access/channelAccess';
import {
  collections,
  type ChannelDoc,
  type DiscussionDoc,
  type DiscussionRestrictionDoc,
  type MembershipDoc,
  type UserAccessDoc,
} from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';

/**
 * Loading the facts of one (channel, user) from the read models and running the shared
 * access decision on them. REST queries, the realtime gateway and push fan-out all go
 * through these two functions, so they can never disagree.
 */

type Reader = Pick<ReadModelStore, 'get'>;

export type ChannelAccessContext = {
  found: true;
  channel: ChannelDoc;
  /** Undefined for anonymous callers and users who never joined. */
  membership: MembershipDoc | undefined;
  isJoined: boolean;
  userAccess: UserAccessDoc | undefined;
  access: ChannelAccess;
};

export type DiscussionAccessContext = {
  found: true;
  channel: ChannelDoc;
  discussion: DiscussionDoc;
  channelAccess: ChannelAccessContext;
  access: { allowed: true } | { allowed: false; reason: DiscussionDenial };
  /** The user's ban/mute record in this discussion, if any (active or not: check with `isBanned`/`isMuted`). */
  restriction: DiscussionRestrictionDoc | undefined;
  isBanned: boolean;
  isMuted: boolean;
};

export type NotFound = { found: false; missing: 'channel' | 'discussion' };

export const membershipKey = (channelId: number, userId: string): string => `${channelId}:${userId}`;
export const restrictionKey = (discussionId: number, userId: string): string => `${discussionId}:${userId}`;

/** The access context from facts already loaded (e.g. once per user while listing channels). */
export const channelAccessFrom = (facts: {
  channel: ChannelDoc;
  userId: string | undefined;
  membership: MembershipDoc | undefined;
  userAccess: UserAccessDoc | undefined;
  now: Date;
}): ChannelAccessContext => {
  const { channel, userId, membership, userAccess, now } = facts;
  const isJoined = userId !== undefined && (membership?.isJoined ?? false);
  const access = decideChannelAccess({
    channel,
    userId,
    entitlements: userAccess?.entitlements ?? {},
    isJoined,
    now,
  });
  return { found: true, channel, membership, isJoined, userAccess, access };
};

const decideFor = async (
  readModels: Reader,
  channel: ChannelDoc,
  userId: string | undefined,
  now: Date,
): Promise<ChannelAccessContext> => {
  const [membership, userAccess] =
    userId === undefined
      ? [undefined, undefined]
      : await Promise.all([
          readModels.get<MembershipDoc>(collections.memberships, membershipKey(channel.id, userId)),
          readModels.get<UserAccessDoc>(collections.userAccess, userId),
        ]);
  return channelAccessFrom({ channel, userId, membership, userAccess, now });
};

/** The channel, the caller's join state and the read decision; `userId` undefined for anonymous callers. */
export const loadChannelAccess = async (
  readModels: Reader,
  channelId: number,
  userId: string | undefined,
  now: Date,
): Promise<ChannelAccessContext | NotFound> => {
  const channel = await readModels.get<ChannelDoc>(collections.channels, String(channelId));
  if (!channel) return { found: false, missing: 'channel' };
  return decideFor(readModels, channel, userId, now);
};

const decideDiscussionFor = async (
  readModels: Reader,
  channel: ChannelDoc,
  discussion: DiscussionDoc,
  userId: string,
  now: Date,
): Promise<DiscussionAccessContext> => {
  const [channelAccess, restriction] = await Promise.all([
    decideFor(readModels, channel, userId, now),
    readModels.get<DiscussionRestrictionDoc>(collections.discussionRestrictions, restrictionKey(discussion.id, userId)),
  ]);
  const access = decideDiscussionAccess({
    channelAccess: channelAccess.access,
    discussion,
    features: channelAccess.userAccess?.features ?? {},
    ban: restriction?.ban ?? undefined,
    now,
  });
  return {
    found: true,
    channel,
    discussion,
    channelAccess,
    access,
    restriction,
    isBanned: isRestrictionActive(restriction?.ban ?? undefined, now),
    isMuted: isRestrictionActive(restriction?.mute ?? undefined, now),
  };
};

/** The channel's discussion and whether `userId` may read it (channel access, enabled, feature, ban). */
export const loadDiscussionAccess = async (
  readModels: Reader,
  channelId: number,
  userId: string,
  now: Date,
): Promise<DiscussionAccessContext | NotFound> => {
  const channel = await readModels.get<ChannelDoc>(collections.channels, String(channelId));
  if (!channel) return { found: false, missing: 'channel' };
  if (channel.discussionId === null) return { found: false, missing: 'discussion' };
  const discussion = await readModels.get<DiscussionDoc>(collections.discussions, String(channel.discussionId));
  if (!discussion) return { found: false, missing: 'discussion' };
  return decideDiscussionFor(readModels, channel, discussion, userId, now);
};

/** As `loadDiscussionAccess`, starting from a discussion id (realtime discussion rooms). */
export const loadDiscussionAccessById = async (
  readModels: Reader,
  discussionId: number,
  userId: string,
  now: Date,
): Promise<DiscussionAccessContext | NotFound> => {
  const discussion = await readModels.get<DiscussionDoc>(collections.discussions, String(discussionId));
  if (!discussion) return { found: false, missing: 'discussion' };
  const channel = await readModels.get<ChannelDoc>(collections.channels, String(discussion.channelId));
  if (!channel) return { found: false, missing: 'channel' };
  return decideDiscussionFor(readModels, channel, discussion, userId, now);
};
