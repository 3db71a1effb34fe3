import type { Server, Socket } from 'socket.io';
import type {
  ACCESS_REVOKED_EVENT,
  AccessRevokedNotice,
  Ack,
  ChannelPayload,
  DiscussionPayload,
  JoinedRoom,
  LeftRoom,
  ServerEnvelope,
  ServerEventType,
  SyncPayload,
  SyncResult,
} from '../contract/realtime';

/**
 * The websocket contract of spec/communication-realtime.txt: room names, client and
 * server event names, the envelope and the acknowledgement shape. The payload, ack and
 * envelope schemas (and the types derived from them) live in src/contract/realtime.ts.
 */

export const channelPostsRoom = (channelId: number): string => `communication:channel:${channelId}:posts`;
export const discussionMessagesRoom = (discussionId: number): string =>
  `communication:discussion:${discussionId}:messages`;

export type RoomRef = { kind: 'channelPosts'; channelId: number } | { kind: 'discussion'; discussionId: number };

const ROOM_PATTERN = /^communication:(channel|discussion):(\d+):(posts|messages)$/;

/** The room a name refers to, or undefined for rooms the gateway does not own (e.g. socket ids). */
export const parseRoom = (room: string): RoomRef | undefined => {
  const match = ROOM_PATTERN.exec(room);
  if (!match) return undefined;
  const id = Number(match[2]);
  if (match[1] === 'channel' && match[3] === 'posts') return { kind: 'channelPosts', channelId: id };
  if (match[1] === 'discussion' && match[3] === 'messages') return { kind: 'discussion', discussionId: id };
  return undefined;
};

export const clientEvents = {
  joinChannelPosts: 'communication:join_channel_posts',
  leaveChannelPosts: 'communication:leave_channel_posts',
  joinDiscussion: 'communication:join_discussion',
  leaveDiscussion: 'communication:leave_discussion',
  syncChannelPosts: 'communication:sync_channel_posts',
  syncDiscussion: 'communication:sync_discussion',
} as const;

export {
  ACCESS_REVOKED_EVENT,
  serverEventTypes,
  SYNC_DEFAULT_LIMIT,
  SYNC_MAX_LIMIT,
  type AccessRevokedData,
  type AccessRevokedNotice,
  type Ack,
  type AckErrorCode,
  type ChannelPayload,
  type DiscussionPayload,
  type JoinedRoom,
  type LeftRoom,
  type ResetReason,
  type ServerEnvelope,
  type ServerEventData,
  type ServerEventType,
  type SyncPayload,
  type SyncResult,
} from '../contract/realtime';

type AckFn<Data> = (answer: Ack<Data>) => void;

export type ClientToServerEvents = {
  'communication:join_channel_posts': (payload: ChannelPayload, ack: AckFn<JoinedRoom>) => void;
  'communication:leave_channel_posts': (payload: ChannelPayload, ack: AckFn<LeftRoom>) => void;
  'communication:join_discussion': (payload: ChannelPayload, ack: AckFn<JoinedRoom>) => void;
  'communication:leave_discussion': (payload: DiscussionPayload, ack: AckFn<LeftRoom>) => void;
  'communication:sync_channel_posts': (payload: SyncPayload, ack: AckFn<SyncResult>) => void;
  'communication:sync_discussion': (payload: SyncPayload, ack: AckFn<SyncResult>) => void;
};

export type ServerToClientEvents = {
  [Type in ServerEventType]: (envelope: ServerEnvelope<Type>) => void;
} & {
  [ACCESS_REVOKED_EVENT]: (notice: AccessRevokedNotice) => void;
};

/** Who a socket's token names, and until when it holds. */
export type SocketPrincipal = { userId: string; role: string; expiresAt: number };

/**
 * What the gateway keeps on `socket.data`: the principal of a valid token, or why there is
 * none (every communication event then answers UNAUTHORIZED with that reason).
 */
export type SocketData = { principal?: SocketPrincipal; authError?: string };

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
