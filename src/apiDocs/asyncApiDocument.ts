import type { TSchema } from '@sinclair/typebox';
import {
  ACCESS_REVOKED_EVENT,
  AccessRevokedNotice,
  ChannelPayload,
  DiscussionPayload,
  JoinAck,
  LeaveAck,
  serverEnvelopes,
  serverEventTypes,
  SyncAck,
  SyncPayload,
  type ServerEventType,
} from '../contract';
import { createSchemaCollector, type Json } from './namedSchemas';
import { specExamples } from './specExamples';

type ClientEvent = { name: string; id: string; summary: string; payload: TSchema; ack: TSchema };

const clientEvents: ClientEvent[] = [
  {
    name: 'communication:join_channel_posts',
    id: 'joinChannelPosts',
    summary: "Join a channel's posts room (channel read access)",
    payload: ChannelPayload,
    ack: JoinAck,
  },
  {
    name: 'communication:leave_channel_posts',
    id: 'leaveChannelPosts',
    summary: "Leave a channel's posts room",
    payload: ChannelPayload,
    ack: LeaveAck,
  },
  {
    name: 'communication:join_discussion',
    id: 'joinDiscussion',
    summary: 'Join the discussion room of a channel (access, enabled, feature, not banned)',
    payload: ChannelPayload,
    ack: JoinAck,
  },
  {
    name: 'communication:leave_discussion',
    id: 'leaveDiscussion',
    summary: 'Leave a discussion room',
    payload: DiscussionPayload,
    ack: LeaveAck,
  },
  {
    name: 'communication:sync_channel_posts',
    id: 'syncChannelPosts',
    summary: 'Replay the posts room after sinceEventId (or learn the latest id)',
    payload: SyncPayload,
    ack: SyncAck,
  },
  {
    name: 'communication:sync_discussion',
    id: 'syncDiscussion',
    summary: "Replay the channel's discussion room after sinceEventId",
    payload: SyncPayload,
    ack: SyncAck,
  },
];

const camel = (text: string) => text.replace(/[._:]([a-z])/g, (_match, letter: string) => letter.toUpperCase());
const messageId = (eventType: string) => camel(eventType.replace(/^communication\./, ''));
const roomOf = (eventType: ServerEventType) =>
  eventType.includes('channel_post') ? 'channelPosts' : 'discussionMessages';

/** The AsyncAPI 3.0 document of the Socket.io contract, built from the contract schemas. */
export const buildAsyncApiDocument = (): Json => {
  const schemas = createSchemaCollector('#/components/schemas/');
  const messages: Record<string, Json> = {};
  const message = (id: string, name: string, summary: string, payload: TSchema, extra: Record<string, Json> = {}) => {
    messages[id] = { name, title: name, summary, payload: schemas.schemaOf(payload), ...extra };
    return { $ref: `#/components/messages/${id}` };
  };
  const refs = (channel: string, ids: string[]): Json[] =>
    ids.map((id) => ({ $ref: `#/channels/${channel}/messages/${id}` }));

  const socketMessages: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  for (const event of clientEvents) {
    socketMessages[event.id] = message(event.id, event.name, event.summary, event.payload);
    socketMessages[`${event.id}Ack`] = message(
      `${event.id}Ack`,
      `${event.name} (ack)`,
      'The acknowledgement',
      event.ack,
    );
    operations[event.id] = {
      action: 'receive',
      channel: { $ref: '#/channels/socket' },
      summary: event.summary,
      messages: refs('socket', [event.id]),
      reply: { channel: { $ref: '#/channels/socket' }, messages: refs('socket', [`${event.id}Ack`]) },
    };
  }
  socketMessages.accessRevoked = message(
    'accessRevoked',
    ACCESS_REVOKED_EVENT,
    'Removed from a room after losing access (not in the spec)',
    AccessRevokedNotice,
  );
  operations.sendAccessRevoked = {
    action: 'send',
    channel: { $ref: '#/channels/socket' },
    summary: 'Tell one socket it was removed from a room, and why',
    messages: refs('socket', ['accessRevoked']),
  };

  const roomMessages: Record<string, Record<string, Json>> = { channelPosts: {}, discussionMessages: {} };
  for (const eventType of serverEventTypes) {
    const id = messageId(eventType);
    roomMessages[roomOf(eventType)][id] = message(
      id,
      eventType,
      `Server event ${eventType}`,
      serverEnvelopes[eventType],
      {
        ...(eventType === 'communication.channel_post.created'
          ? { examples: [{ name: 'envelope', payload: specExamples.postCreated }] }
          : {}),
      },
    );
  }
  for (const room of ['channelPosts', 'discussionMessages'] as const) {
    operations[`send${room[0].toUpperCase()}${room.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${room}` },
      summary: `Deltas to every socket in the room, envelope { eventId, eventType, occurredAt, data }`,
      messages: refs(room, Object.keys(roomMessages[room])),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Communication realtime (Socket.io)',
      version: '1.0.0',
      description:
        'Contract: docs/spec/communication-realtime.txt. Connect with io(url, { auth: { token } }) (or an Authorization: Bearer header). ' +
        'Every client event is answered through its acknowledgement; error codes: UNAUTHORIZED, FORBIDDEN, NOT_FOUND, VALIDATION_ERROR, SERVICE_UNAVAILABLE, and RATE_LIMITED (ours, details.retryAfterMs). ' +
        'sync_* answers resetRequired with a reason (UNKNOWN_EVENT_ID, TOO_FAR_BEHIND, ACCESS_CHANGED) when the client must refetch over REST. ' +
        'A socket whose unread output passes SOCKET_MAX_SEND_BUFFER_BYTES is closed with WebSocket close code 4008, reason SEND_BUFFER_FULL (socket.io-client: disconnect "transport close", the close event in its details); reconnect and sync from the last eventId.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io',
        description:
          'Socket.io on the HTTP port; websocket transport, or sticky sessions for long-polling across nodes',
        security: [{ $ref: '#/components/securitySchemes/jwt' }],
      },
    },
    channels: {
      socket: { address: '/', title: 'The connection (default namespace)', messages: socketMessages },
      channelPosts: {
        address: 'communication:channel:{channelId}:posts',
        title: "A channel's posts room",
        parameters: { channelId: { description: 'the channel id' } },
        messages: roomMessages.channelPosts,
      },
      discussionMessages: {
        address: 'communication:discussion:{discussionId}:messages',
        title: "A discussion's messages room",
        parameters: { discussionId: { description: 'the discussion id' } },
        messages: roomMessages.discussionMessages,
      },
    },
    operations,
    components: {
      schemas: schemas.components(),
      messages,
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'handshake auth.token or Authorization header',
        },
      },
    },
  };
};
