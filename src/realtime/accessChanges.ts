import type { ChannelEvent } from '../commands/channel/channelEvents';
import type { DiscussionEvent } from '../commands/discussion/discussionEvents';
import { streamPrefixes } from '../commands/streams';
import type { UserAccessEvent } from '../commands/userAccess/userAccessEvents';
import type { RecordedEvent } from '../eventStore/eventStore';

/** Whose room access an event may have changed. */
export type AccessChange =
  /** A grant changed (revoke, or a grant whose validUntil may already have passed): every room of the user. */
  | { scope: 'user'; userId: string }
  /** The channel's access policy or entitlement key changed: everyone in its post and discussion rooms. */
  | { scope: 'channel'; channelId: number }
  /** The discussion was disabled/enabled or its required feature changed: everyone in its room. */
  | { scope: 'discussion'; discussionId: number; channelId: number }
  /** A user was banned from (or unbanned in) one discussion. */
  | { scope: 'discussionUser'; discussionId: number; userId: string };

type AccessRelevantEvent = ChannelEvent | DiscussionEvent | UserAccessEvent;

const isWatchedStream = (streamName: string): boolean =>
  streamName.startsWith(streamPrefixes.channel) ||
  streamName.startsWith(streamPrefixes.discussion) ||
  streamName.startsWith(streamPrefixes.userAccess);

/** The access change an event carries, or undefined when it changes nobody's access. */
export const accessChangeOf = (event: RecordedEvent): AccessChange | undefined => {
  if (!isWatchedStream(event.streamName)) return undefined;
  const domain = { type: event.type, data: event.data } as AccessRelevantEvent;
  switch (domain.type) {
    case 'EntitlementGranted':
    case 'EntitlementRevoked':
    case 'FeatureGranted':
    case 'FeatureRevoked':
      return { scope: 'user', userId: domain.data.userId };
    case 'ChannelUpdated': {
      const { changes, channelId } = domain.data;
      return 'accessPolicy' in changes || 'entitlementKey' in changes ? { scope: 'channel', channelId } : undefined;
    }
    case 'DiscussionUpdated': {
      const { changes, discussionId, channelId } = domain.data;
      return 'isEnabled' in changes || 'requiredFeatureKey' in changes
        ? { scope: 'discussion', discussionId, channelId }
        : undefined;
    }
    case 'UserBanned':
    case 'UserUnbanned':
      return { scope: 'discussionUser', discussionId: domain.data.discussionId, userId: domain.data.userId };
    case 'ChannelCreated':
    case 'DiscussionAttached':
    case 'PostPublished':
    case 'PostEdited':
    case 'PostDeleted':
    case 'PostPinned':
    case 'PostUnpinned':
    case 'DiscussionCreated':
    case 'DiscussionMessagePosted':
    case 'DiscussionMessageEdited':
    case 'DiscussionMessageDeleted':
    case 'DiscussionMessageRestored':
    case 'UserMuted':
    case 'UserUnmuted':
      return undefined;
    default: {
      const unknown: never = domain;
      return unknown && undefined;
    }
  }
};

/**
 * Whether an event in a room's own stream changed what `userId` may read there since the
 * client's cursor, so replaying past it could hand the client a picture REST would not.
 */
export const changesRoomAccessFor = (event: RecordedEvent, userId: string): boolean => {
  const change = accessChangeOf(event);
  if (!change) return false;
  if (change.scope === 'channel' || change.scope === 'discussion') return true;
  if (change.scope === 'discussionUser') return change.userId === userId;
  return false;
};
