import type { Grant } from '../access/channelAccess';
import {
  loadChannelAccess,
  loadDiscussionAccess,
  loadDiscussionAccessById,
  type ChannelAccessContext,
  type DiscussionAccessContext,
  type NotFound,
} from '../queries/accessContext';
import type { ReadModelStore } from '../readModels/readModelStore';
import { channelPostsRoom, discussionMessagesRoom, type RoomRef } from './realtimeContract';

export type RoomGrant = {
  allowed: true;
  room: string;
  channelId: number;
  discussionId: number | null;
  /** When a time-limited grant this access rests on runs out; the gateway re-checks then. */
  recheckAt: number | null;
};

export type RoomDenial = { allowed: false; code: 'FORBIDDEN' | 'NOT_FOUND'; reason: string; message: string };

export type RoomDecision = RoomGrant | RoomDenial;

type Reader = Pick<ReadModelStore, 'get'>;

const notFound = (result: NotFound): RoomDenial => ({
  allowed: false,
  code: 'NOT_FOUND',
  reason: result.missing === 'channel' ? 'CHANNEL_NOT_FOUND' : 'DISCUSSION_NOT_FOUND',
  message: result.missing === 'channel' ? 'Channel not found' : 'Discussion not found',
});

const endOf = (grant: Grant | undefined): number | null => (grant?.validUntil ? Date.parse(grant.validUntil) : null);

const earliest = (...instants: Array<number | null>): number | null => {
  const set = instants.filter((instant): instant is number => instant !== null);
  return set.length === 0 ? null : Math.min(...set);
};

const entitlementEnd = (context: ChannelAccessContext): number | null => {
  const { channel, userAccess } = context;
  if (channel.accessPolicy !== 'EXTERNAL_GATED' || channel.entitlementKey === null) return null;
  return endOf(userAccess?.entitlements[channel.entitlementKey]);
};

const decideChannelRoom = (context: ChannelAccessContext | NotFound): RoomDecision => {
  if (!context.found) return notFound(context);
  if (!context.access.canRead) {
    return {
      allowed: false,
      code: 'FORBIDDEN',
      reason: context.access.reason,
      message: 'No read access to this channel',
    };
  }
  return {
    allowed: true,
    room: channelPostsRoom(context.channel.id),
    channelId: context.channel.id,
    discussionId: null,
    recheckAt: entitlementEnd(context),
  };
};

const decideDiscussionRoom = (context: DiscussionAccessContext | NotFound): RoomDecision => {
  if (!context.found) return notFound(context);
  if (!context.access.allowed) {
    return {
      allowed: false,
      code: 'FORBIDDEN',
      reason: context.access.reason,
      message: 'No access to this discussion',
    };
  }
  const { discussion, channelAccess } = context;
  const featureEnd = discussion.requiredFeatureKey
    ? endOf(channelAccess.userAccess?.features[discussion.requiredFeatureKey])
    : null;
  return {
    allowed: true,
    room: discussionMessagesRoom(discussion.id),
    channelId: context.channel.id,
    discussionId: discussion.id,
    recheckAt: earliest(entitlementEnd(channelAccess), featureEnd),
  };
};

/** The same decisions REST makes (queries/accessContext), phrased for rooms. */
export const createRoomAccess = (readModels: Reader, now: () => Date) => ({
  channelPosts: async (channelId: number, userId: string) =>
    decideChannelRoom(await loadChannelAccess(readModels, channelId, userId, now())),
  discussionOfChannel: async (channelId: number, userId: string) =>
    decideDiscussionRoom(await loadDiscussionAccess(readModels, channelId, userId, now())),
  room: async (room: RoomRef, userId: string): Promise<RoomDecision> => {
    switch (room.kind) {
      case 'channelPosts':
        return decideChannelRoom(await loadChannelAccess(readModels, room.channelId, userId, now()));
      case 'discussion':
        return decideDiscussionRoom(await loadDiscussionAccessById(readModels, room.discussionId, userId, now()));
      default: {
        const unexpected: never = room;
        return unexpected;
      }
    }
  },
});

export type RoomAccess = ReturnType<typeof createRoomAccess>;
