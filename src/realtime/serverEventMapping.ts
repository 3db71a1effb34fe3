import type { ChannelEvent } from '../commands/channel/channelEvents';
import { editorIds, type DiscussionEvent } from '../commands/discussion/discussionEvents';
import { streamPrefixes } from '../commands/streams';
import { presentAttachments } from '../http/presenters';
import type { RecordedEvent } from '../eventStore/eventStore';
import {
  channelPostsRoom,
  discussionMessagesRoom,
  type ServerEnvelope,
  type ServerEventData,
  type ServerEventType,
} from './realtimeContract';

/** A server event ready to emit: the room it goes to and the envelope the client receives. */
export type RoomEvent = { room: string; envelope: ServerEnvelope };

type DomainEvent = ChannelEvent | DiscussionEvent;
const MAPPED_STREAMS = [streamPrefixes.channel, streamPrefixes.discussion];

export type ToServerEvent = (event: RecordedEvent) => RoomEvent | undefined;

/** The data of each event type is checked against its schema's type (src/contract/realtime.ts). */
const envelope = <Type extends ServerEventType>(
  event: RecordedEvent,
  eventType: Type,
  occurredAt: string,
  data: DistributiveOmit<ServerEventData[Type], 'actor'>,
): ServerEnvelope =>
  ({
    eventId: event.id,
    eventType,
    occurredAt,
    data: { ...data, actor: event.metadata.actor },
  }) as unknown as ServerEnvelope;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The one mapping from domain events to server events (or none). Payloads are deltas:
 * the entity id, its context ids, the fields the event changed, timestamps and the actor.
 * Post ids are strings (the REST post cursor is a string), message ids numbers (as in
 * the REST message shape). PostUnpinned has no event name of its own in the spec: it is
 * `communication.channel_post.pinned` with `isPinned: false`. Attachments read as in REST:
 * in display order, each with its resolved `url`.
 */
export const createServerEventMapping =
  (options: { mediaBaseUrl: string }): ToServerEvent =>
  (event) => {
    if (!MAPPED_STREAMS.some((prefix) => event.streamName.startsWith(prefix))) return undefined;
    const domain = { type: event.type, data: event.data } as DomainEvent;
    switch (domain.type) {
      case 'PostPublished': {
        const { postId, channelId, publishedAt, attachments, ...content } = domain.data;
        return {
          room: channelPostsRoom(channelId),
          envelope: envelope(event, 'communication.channel_post.created', publishedAt, {
            id: String(postId),
            channelId,
            ...content,
            attachments: presentAttachments(attachments, options.mediaBaseUrl),
            publishedAt,
            createdAt: publishedAt,
            updatedAt: publishedAt,
          }),
        };
      }
      case 'PostEdited': {
        const { postId, channelId, changes, editedByAdminId, editedAt } = domain.data;
        const { attachments, ...contentChanges } = changes;
        return {
          room: channelPostsRoom(channelId),
          envelope: envelope(event, 'communication.channel_post.updated', editedAt, {
            id: String(postId),
            channelId,
            ...contentChanges,
            ...(attachments ? { attachments: presentAttachments(attachments, options.mediaBaseUrl) } : {}),
            editedByAdminId,
            updatedAt: editedAt,
          }),
        };
      }
      case 'PostDeleted': {
        const { postId, channelId, deletedByAdminId, deletedAt } = domain.data;
        return {
          room: channelPostsRoom(channelId),
          envelope: envelope(event, 'communication.channel_post.deleted', deletedAt, {
            id: String(postId),
            channelId,
            isDeleted: true,
            deletedAt,
            deletedByAdminId,
            updatedAt: deletedAt,
          }),
        };
      }
      case 'PostPinned': {
        const { postId, channelId, pinnedByAdminId, pinnedAt } = domain.data;
        return {
          room: channelPostsRoom(channelId),
          envelope: envelope(event, 'communication.channel_post.pinned', pinnedAt, {
            id: String(postId),
            channelId,
            isPinned: true,
            pinnedAt,
            pinnedByAdminId,
            updatedAt: pinnedAt,
          }),
        };
      }
      case 'PostUnpinned': {
        const { postId, channelId, unpinnedByAdminId, unpinnedAt } = domain.data;
        return {
          room: channelPostsRoom(channelId),
          envelope: envelope(event, 'communication.channel_post.pinned', unpinnedAt, {
            id: String(postId),
            channelId,
            isPinned: false,
            pinnedAt: null,
            unpinnedByAdminId,
            updatedAt: unpinnedAt,
          }),
        };
      }
      case 'DiscussionMessagePosted': {
        const { messageId, discussionId, createdAt, ...message } = domain.data;
        return {
          room: discussionMessagesRoom(discussionId),
          envelope: envelope(event, 'communication.discussion_message.created', createdAt, {
            id: messageId,
            discussionId,
            ...message,
            createdAt,
            updatedAt: createdAt,
          }),
        };
      }
      case 'DiscussionMessageEdited': {
        const { messageId, discussionId, editedAt, editedBy, ...edit } = domain.data;
        return {
          room: discussionMessagesRoom(discussionId),
          envelope: envelope(event, 'communication.discussion_message.updated', editedAt, {
            id: messageId,
            discussionId,
            ...edit,
            ...editorIds(editedBy),
            editedAt,
            updatedAt: editedAt,
          }),
        };
      }
      case 'DiscussionMessageDeleted': {
        const { messageId, discussionId, deletedAt, ...deletion } = domain.data;
        return {
          room: discussionMessagesRoom(discussionId),
          envelope: envelope(event, 'communication.discussion_message.deleted', deletedAt, {
            id: messageId,
            discussionId,
            ...deletion,
            isDeleted: true,
            deletedAt,
            updatedAt: deletedAt,
          }),
        };
      }
      case 'DiscussionMessageRestored': {
        const { messageId, discussionId, channelId, restoredByAdminId, restoredAt } = domain.data;
        return {
          room: discussionMessagesRoom(discussionId),
          envelope: envelope(event, 'communication.discussion_message.restored', restoredAt, {
            id: messageId,
            discussionId,
            channelId,
            isDeleted: false,
            deletedAt: null,
            restoredByAdminId,
            restoredAt,
            updatedAt: restoredAt,
          }),
        };
      }
      case 'ChannelCreated':
      case 'ChannelUpdated':
      case 'DiscussionAttached':
      case 'DiscussionCreated':
      case 'DiscussionUpdated':
      case 'UserBanned':
      case 'UserUnbanned':
      case 'UserMuted':
      case 'UserUnmuted':
        return undefined;
      default: {
        // Event types added later reach here at runtime; until mapped they are not sent.
        const unmapped: never = domain;
        return unmapped && undefined;
      }
    }
  };
