import type { Server, Socket } from 'socket.io';

/**
 * The websocket contract of spec/communication-realtime.txt: room names, client and
 * server event names, the envelope and the acknowledgement shape. Everything a client
 * sees over the socket is typed here.
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

export const serverEventTypes = [
  'communication.channel_post.created',
  'communication.channel_post.updated',
  'communication.channel_post.deleted',
  'communication.channel_post.pinned',
  'communication.discussion_message.created',
  'communication.discussion_message.updated',
  'communication.discussion_message.deleted',
  'communication.discussion_message.restored',
] as const;

export type ServerEventType = (typeof serverEventTypes)[number];

/**
 * Not in the spec's list of eight: sent to one socket when it is removed from a room
 * because the user lost access (entitlement revoked or expired, ban, discussion
 * disabled, required feature lost, channel made gated).
 */
export const ACCESS_REVOKED_EVENT = 'communication.room.access_revoked';

export type Envelope<Type extends string = ServerEventType, Data = Record<string, unknown>> = {
  /** The id of the event in the log; also the replay cursor for `sinceEventId`. */
  eventId: string;
  eventType: Type;
  occurredAt: string;
  data: Data;
};

export type AccessRevokedData = {
  room: string;
  channelId: number | null;
  discussionId: number | null;
  reason: string;
};

export type AccessRevokedNotice = Envelope<typeof ACCESS_REVOKED_EVENT, AccessRevokedData>;

export type AckErrorCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'VALIDATION_ERROR' | 'SERVICE_UNAVAILABLE';

export type Ack<Data> =
  { ok: true; data: Data } | { ok: false; error: { code: AckErrorCode; message: string; details?: unknown } };

export type JoinedRoom = { room: string; channelId: number; discussionId: number | null };
export type LeftRoom = { room: string };

export type ResetReason = 'UNKNOWN_EVENT_ID' | 'TOO_FAR_BEHIND' | 'ACCESS_CHANGED';

export type SyncResult =
  | {
      resetRequired: false;
      room: string;
      events: Envelope[];
      hasMore: boolean;
      /** The cursor to send next time: the last event returned, else the `sinceEventId` sent, else the room's latest. */
      lastEventId: string | null;
    }
  | { resetRequired: true; room: string; reason: ResetReason; message: string };

export type ChannelPayload = { channelId: number };
export type DiscussionPayload = { discussionId: number };
export type SyncPayload = { channelId: number; sinceEventId?: string; limit?: number };

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
  [Type in ServerEventType]: (envelope: Envelope<Type>) => void;
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

/** Replay limits of `sync_*`. */
export const SYNC_DEFAULT_LIMIT = 100;
export const SYNC_MAX_LIMIT = 1000;

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
