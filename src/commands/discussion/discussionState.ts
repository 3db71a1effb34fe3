import { Map as ImmutableMap } from 'immutable';
import { editorIds } from './discussionEvents';
import type {
  DiscussionEvent,
  DiscussionMessageDeleted,
  DiscussionMessageEdited,
  DiscussionMessagePosted,
  DiscussionMessageRestored,
  DiscussionSettings,
} from './discussionEvents';

export type MessageState = {
  messageId: number;
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

export type Ban = { until: string | null; reason: string | null };
export type Mute = { until: string };

export type DiscussionState =
  | { exists: false }
  | (DiscussionSettings & {
      exists: true;
      discussionId: number;
      channelId: number;
      createdByAdminId: string;
      createdAt: string;
      updatedAt: string;
      /** The highest message id in this stream; 0 before the first. New ids must exceed it. */
      lastMessageId: number;
      // No messages here: the state stays small at any stream length (snapshots, cache); a
      // command on a message loads that message's facts (messageFacts.ts).
      bans: Readonly<Record<string, Ban>>;
      mutes: Readonly<Record<string, Mute>>;
      /** When each user last posted (slow mode). */
      lastUserMessageAt: ImmutableMap<string, string>;
    });

export type ExistingDiscussion = Extract<DiscussionState, { exists: true }>;

export const initialDiscussionState = (): DiscussionState => ({ exists: false });

const without = <Value>(record: Readonly<Record<string, Value>>, key: string): Record<string, Value> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};

export type DiscussionMessageChanged = DiscussionMessageEdited | DiscussionMessageDeleted | DiscussionMessageRestored;

/** What a message's changes touch: the write model's MessageState and the read model's message document both carry it. */
type MessageLifecycle = Omit<MessageState, 'messageId' | 'authorType' | 'authorUserId' | 'authorAdminId' | 'createdAt'>;

/** The lifecycle fields of a message just posted (its body comes from the event). */
export const postedMessageLifecycle = (createdAt: string) => ({
  isDeleted: false,
  deletedAt: null,
  deletedByUserId: null,
  deletedByAdminId: null,
  editedAt: null,
  editedByUserId: null,
  editedByAdminId: null,
  updatedAt: createdAt,
});

/** One change to one message, shared by the decider's state and the messages projection so they cannot drift. */
export const applyMessageChange = <Message extends MessageLifecycle>(
  message: Message,
  event: DiscussionMessageChanged,
): Message => {
  switch (event.type) {
    case 'DiscussionMessageEdited': {
      const { body, editedBy, editedAt } = event.data;
      return { ...message, body, editedAt, ...editorIds(editedBy), updatedAt: editedAt };
    }
    case 'DiscussionMessageDeleted': {
      const { deletedByUserId, deletedByAdminId, deletedAt } = event.data;
      return { ...message, isDeleted: true, deletedAt, deletedByUserId, deletedByAdminId, updatedAt: deletedAt };
    }
    case 'DiscussionMessageRestored':
      return {
        ...message,
        isDeleted: false,
        deletedAt: null,
        deletedByUserId: null,
        deletedByAdminId: null,
        updatedAt: event.data.restoredAt,
      };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

/** Folds message `messageId` from its own events; the other messages' and the discussion's events pass by. */
export const evolveMessage =
  (messageId: number) =>
  (message: MessageState | undefined, event: DiscussionEvent): MessageState | undefined => {
    if (event.type === 'DiscussionMessagePosted')
      return event.data.messageId === messageId ? postedMessage(event) : message;
    if (!isMessageChange(event) || event.data.messageId !== messageId || message === undefined) return message;
    return applyMessageChange(message, event);
  };

const postedMessage = (event: DiscussionMessagePosted): MessageState => {
  const { messageId, discussionId: _d, channelId: _c, ...message } = event.data;
  return { messageId, ...message, ...postedMessageLifecycle(message.createdAt) };
};

const isMessageChange = (event: DiscussionEvent): event is DiscussionMessageChanged =>
  event.type === 'DiscussionMessageEdited' ||
  event.type === 'DiscussionMessageDeleted' ||
  event.type === 'DiscussionMessageRestored';

export const evolveDiscussion = (state: DiscussionState, event: DiscussionEvent): DiscussionState => {
  if (event.type === 'DiscussionCreated') {
    return {
      exists: true,
      ...event.data,
      updatedAt: event.data.createdAt,
      lastMessageId: 0,
      bans: {},
      mutes: {},
      lastUserMessageAt: ImmutableMap(),
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'DiscussionUpdated':
      return { ...state, ...event.data.changes, updatedAt: event.data.updatedAt };
    case 'DiscussionMessagePosted': {
      const { messageId, authorUserId, createdAt } = event.data;
      return {
        ...state,
        lastMessageId: Math.max(state.lastMessageId, messageId),
        lastUserMessageAt:
          authorUserId === null ? state.lastUserMessageAt : state.lastUserMessageAt.set(authorUserId, createdAt),
      };
    }
    case 'DiscussionMessageEdited':
    case 'DiscussionMessageDeleted':
    case 'DiscussionMessageRestored':
      return state;
    case 'UserBanned':
      return {
        ...state,
        bans: { ...state.bans, [event.data.userId]: { until: event.data.until, reason: event.data.reason } },
      };
    case 'UserUnbanned':
      return { ...state, bans: without(state.bans, event.data.userId) };
    case 'UserMuted':
      return { ...state, mutes: { ...state.mutes, [event.data.userId]: { until: event.data.until } } };
    case 'UserUnmuted':
      return { ...state, mutes: without(state.mutes, event.data.userId) };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};
