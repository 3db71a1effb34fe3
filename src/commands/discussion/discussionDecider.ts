import { isRestrictionActive } from '../../access/channelAccess';
import { ConflictError, ForbiddenError } from '../../errors';
import { changedFields } from '../channel/channelDecider';
import type { ChannelFacts } from '../channel/channelFacts';
import type { Decider } from '../commandHandler';
import { IdNotIncreasingError } from '../sequence/idNotIncreasingError';
import { type DiscussionEvent, type DiscussionSettings } from './discussionEvents';
import { evolveDiscussion, initialDiscussionState, type DiscussionState, type MessageState } from './discussionState';
import {
  assertInFuture,
  assertSettings,
  requireChannelActive,
  requireDiscussion,
  requireMessage,
  requireNotDeleted,
  requireSlowModeElapsed,
  requireWriteAccess,
  type UserContext,
} from './discussionRules';

type ByAdmin = { adminId: string; now: string };

export type CreateDiscussion = {
  type: 'CreateDiscussion';
  data: ByAdmin & { discussionId: number; channelId: number; settings: DiscussionSettings };
};
export type ChangeDiscussion = { type: 'ChangeDiscussion'; data: ByAdmin & { changes: Partial<DiscussionSettings> } };
export type PostUserMessage = { type: 'PostUserMessage'; data: UserContext & { messageId: number; body: string } };
export type PostAdminMessage = {
  type: 'PostAdminMessage';
  data: ByAdmin & { messageId: number; body: string; channel: ChannelFacts };
};
/** The message's facts in its discussion as loaded with the stream (undefined: no such message there). */
type OnMessage = { messageId: number; message: MessageState | undefined };
export type EditOwnMessage = { type: 'EditOwnMessage'; data: UserContext & OnMessage & { body: string } };
export type DeleteOwnMessage = { type: 'DeleteOwnMessage'; data: OnMessage & { userId: string; now: string } };
export type DeleteMessage = { type: 'DeleteMessage'; data: ByAdmin & OnMessage };
export type RestoreMessage = { type: 'RestoreMessage'; data: ByAdmin & OnMessage };
export type BanUser = {
  type: 'BanUser';
  data: ByAdmin & { userId: string; until: string | null; reason: string | null };
};
export type UnbanUser = { type: 'UnbanUser'; data: ByAdmin & { userId: string } };
export type MuteUser = { type: 'MuteUser'; data: ByAdmin & { userId: string; until: string } };
export type UnmuteUser = { type: 'UnmuteUser'; data: ByAdmin & { userId: string } };

export type DiscussionCommand =
  | CreateDiscussion
  | ChangeDiscussion
  | PostUserMessage
  | PostAdminMessage
  | EditOwnMessage
  | DeleteOwnMessage
  | DeleteMessage
  | RestoreMessage
  | BanUser
  | UnbanUser
  | MuteUser
  | UnmuteUser;

export const decideDiscussion = (command: DiscussionCommand, state: DiscussionState): DiscussionEvent[] => {
  if (command.type === 'CreateDiscussion') {
    if (state.exists) throw new ConflictError('Discussion already exists');
    const { discussionId, channelId, settings, adminId, now } = command.data;
    assertSettings(settings);
    return [
      {
        type: 'DiscussionCreated',
        data: { ...settings, discussionId, channelId, createdByAdminId: adminId, createdAt: now },
      },
    ];
  }
  const discussion = requireDiscussion(state);
  const ids = { discussionId: discussion.discussionId, channelId: discussion.channelId };
  switch (command.type) {
    case 'ChangeDiscussion': {
      const changes = changedFields<DiscussionSettings>(discussion, command.data.changes);
      assertSettings({ ...discussion, ...changes });
      if (Object.keys(changes).length === 0) return [];
      const { adminId, now } = command.data;
      return [{ type: 'DiscussionUpdated', data: { ...ids, changes, updatedByAdminId: adminId, updatedAt: now } }];
    }
    case 'PostUserMessage': {
      const { messageId, userId, body, now, channel } = command.data;
      requireChannelActive(channel);
      requireWriteAccess(discussion, command.data);
      requireSlowModeElapsed(discussion, userId, now);
      if (messageId <= discussion.lastMessageId) throw new IdNotIncreasingError(messageId, discussion.lastMessageId);
      const author = { authorType: 'USER' as const, authorUserId: userId, authorAdminId: null };
      return [{ type: 'DiscussionMessagePosted', data: { messageId, ...ids, ...author, body, createdAt: now } }];
    }
    case 'PostAdminMessage': {
      const { messageId, adminId, body, now, channel } = command.data;
      requireChannelActive(channel);
      if (messageId <= discussion.lastMessageId) throw new IdNotIncreasingError(messageId, discussion.lastMessageId);
      const author = { authorType: 'ADMIN' as const, authorUserId: null, authorAdminId: adminId };
      return [{ type: 'DiscussionMessagePosted', data: { messageId, ...ids, ...author, body, createdAt: now } }];
    }
    case 'EditOwnMessage': {
      const { messageId, userId, body, now, channel } = command.data;
      const message = requireMessage(command.data.message);
      if (message.authorUserId !== userId) throw new ForbiddenError('You can only edit your own messages');
      requireNotDeleted(message);
      requireChannelActive(channel);
      requireWriteAccess(discussion, command.data);
      if (message.body === body) return [];
      const edit = { body, editedBy: { type: 'USER' as const, id: userId }, editedAt: now };
      return [{ type: 'DiscussionMessageEdited', data: { messageId, ...ids, ...edit } }];
    }
    case 'DeleteOwnMessage': {
      const { messageId, userId, now } = command.data;
      const message = requireMessage(command.data.message);
      if (message.authorUserId !== userId) throw new ForbiddenError('You can only delete your own messages');
      requireNotDeleted(message);
      const deletion = { deletedByUserId: userId, deletedByAdminId: null, deletedAt: now };
      return [{ type: 'DiscussionMessageDeleted', data: { messageId, ...ids, ...deletion } }];
    }
    case 'DeleteMessage': {
      const { messageId, adminId, now } = command.data;
      requireNotDeleted(requireMessage(command.data.message));
      const deletion = { deletedByUserId: null, deletedByAdminId: adminId, deletedAt: now };
      return [{ type: 'DiscussionMessageDeleted', data: { messageId, ...ids, ...deletion } }];
    }
    case 'RestoreMessage': {
      const { messageId, adminId, now } = command.data;
      if (!requireMessage(command.data.message).isDeleted) throw new ConflictError('Discussion message is not deleted');
      return [
        { type: 'DiscussionMessageRestored', data: { messageId, ...ids, restoredByAdminId: adminId, restoredAt: now } },
      ];
    }
    case 'BanUser': {
      const { userId, until, reason, adminId, now } = command.data;
      assertInFuture(until, now, 'until');
      const current = discussion.bans[userId];
      const active = isRestrictionActive(current, new Date(now));
      if (active && current?.until === until && current.reason === reason) return [];
      return [{ type: 'UserBanned', data: { ...ids, userId, until, reason, bannedByAdminId: adminId, bannedAt: now } }];
    }
    case 'UnbanUser': {
      const { userId, adminId, now } = command.data;
      if (!isRestrictionActive(discussion.bans[userId], new Date(now))) return [];
      return [{ type: 'UserUnbanned', data: { ...ids, userId, unbannedByAdminId: adminId, unbannedAt: now } }];
    }
    case 'MuteUser': {
      const { userId, until, adminId, now } = command.data;
      assertInFuture(until, now, 'until');
      if (discussion.mutes[userId]?.until === until) return [];
      return [{ type: 'UserMuted', data: { ...ids, userId, until, mutedByAdminId: adminId, mutedAt: now } }];
    }
    case 'UnmuteUser': {
      const { userId, adminId, now } = command.data;
      if (!isRestrictionActive(discussion.mutes[userId], new Date(now))) return [];
      return [{ type: 'UserUnmuted', data: { ...ids, userId, unmutedByAdminId: adminId, unmutedAt: now } }];
    }
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const discussionDecider: Decider<DiscussionState, DiscussionCommand, DiscussionEvent> = {
  decide: decideDiscussion,
  evolve: evolveDiscussion,
  initialState: initialDiscussionState,
};
