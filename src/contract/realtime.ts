import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AuthorType, DateTime, Nullable, NumericId, PostIdString, PostType, StringEnum } from './common';
import { Attachment } from './posts';

/** Replay limits of `sync_*`. */
export const SYNC_DEFAULT_LIMIT = 100;
export const SYNC_MAX_LIMIT = 1000;

export const ChannelPayload = Type.Object(
  { channelId: NumericId() },
  { title: 'ChannelPayload', additionalProperties: false },
);
export type ChannelPayload = Static<typeof ChannelPayload>;

export const DiscussionPayload = Type.Object(
  { discussionId: NumericId() },
  { title: 'DiscussionPayload', additionalProperties: false },
);
export type DiscussionPayload = Static<typeof DiscussionPayload>;

export const SyncPayload = Type.Object(
  {
    channelId: NumericId(),
    // Event ids are UUIDs; the pattern only keeps junk out, unknown ids are a reset, not an error.
    sinceEventId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z-]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SYNC_MAX_LIMIT, default: SYNC_DEFAULT_LIMIT })),
  },
  { title: 'SyncPayload', additionalProperties: false },
);
export type SyncPayload = Static<typeof SyncPayload>;

export const AckErrorCode = StringEnum([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_ERROR',
  'SERVICE_UNAVAILABLE',
  // Ours: over a socket's in-flight or rate limit; details.retryAfterMs says when to retry.
  'RATE_LIMITED',
] as const);
export type AckErrorCode = Static<typeof AckErrorCode>;

export const ResetReason = StringEnum(['UNKNOWN_EVENT_ID', 'TOO_FAR_BEHIND', 'ACCESS_CHANGED'] as const, {
  title: 'ResetReason',
});
export type ResetReason = Static<typeof ResetReason>;

export const JoinedRoom = Type.Object(
  { room: Type.String(), channelId: NumericId(), discussionId: Nullable(NumericId()) },
  { title: 'JoinedRoom', additionalProperties: false },
);
export type JoinedRoom = Static<typeof JoinedRoom>;

export const LeftRoom = Type.Object({ room: Type.String() }, { title: 'LeftRoom', additionalProperties: false });
export type LeftRoom = Static<typeof LeftRoom>;

export const AckError = Type.Object(
  { code: AckErrorCode, message: Type.String(), details: Type.Optional(Type.Unknown()) },
  { title: 'AckError', additionalProperties: false },
);

/** Every acknowledgement: `{ ok: true, data }` or `{ ok: false, error }`. */
export const Ack = <T extends TSchema>(data: T, title: string) =>
  Type.Union(
    [
      Type.Object({ ok: Type.Literal(true), data }, { additionalProperties: false }),
      Type.Object({ ok: Type.Literal(false), error: AckError }, { additionalProperties: false }),
    ],
    { title },
  );
export type Ack<Data> =
  { ok: true; data: Data } | { ok: false; error: { code: AckErrorCode; message: string; details?: unknown } };

const Actor = Type.Object(
  { type: StringEnum(['user', 'admin', 'service', 'system'] as const), id: Type.String() },
  { title: 'Actor', additionalProperties: false },
);
const postRef = { id: PostIdString(), channelId: NumericId() };
const messageRef = { id: NumericId(), discussionId: NumericId(), channelId: NumericId() };
const delta = <T extends Parameters<typeof Type.Object>[0]>(title: string, fields: T) =>
  Type.Object({ ...fields, actor: Actor }, { title, additionalProperties: false });

/** The `data` of each server event: a delta (entity id, context ids, changed fields, timestamps, actor). */
export const serverEventData = {
  'communication.channel_post.created': delta('PostCreatedData', {
    ...postRef,
    type: PostType,
    bodyText: Nullable(Type.String()),
    linkUrl: Nullable(Type.String()),
    chartPayloadJson: Type.Unknown(),
    createdByAdminId: Type.String(),
    attachments: Type.Array(Attachment),
    publishedAt: DateTime(),
    createdAt: DateTime(),
    updatedAt: DateTime(),
  }),
  'communication.channel_post.updated': delta('PostUpdatedData', {
    ...postRef,
    type: Type.Optional(PostType),
    bodyText: Type.Optional(Nullable(Type.String())),
    linkUrl: Type.Optional(Nullable(Type.String())),
    chartPayloadJson: Type.Optional(Type.Unknown()),
    attachments: Type.Optional(Type.Array(Attachment)),
    editedByAdminId: Type.String(),
    updatedAt: DateTime(),
  }),
  'communication.channel_post.deleted': delta('PostDeletedData', {
    ...postRef,
    isDeleted: Type.Literal(true),
    deletedAt: DateTime(),
    deletedByAdminId: Type.String(),
    updatedAt: DateTime(),
  }),
  // Unpinning has no event name of its own in the spec: it is `pinned` with isPinned false.
  'communication.channel_post.pinned': Type.Union(
    [
      delta('PostPinnedData', {
        ...postRef,
        isPinned: Type.Literal(true),
        pinnedAt: DateTime(),
        pinnedByAdminId: Type.String(),
        updatedAt: DateTime(),
      }),
      delta('PostUnpinnedData', {
        ...postRef,
        isPinned: Type.Literal(false),
        pinnedAt: Type.Null(),
        unpinnedByAdminId: Type.String(),
        updatedAt: DateTime(),
      }),
    ],
    { title: 'PostPinnedOrUnpinnedData' },
  ),
  'communication.discussion_message.created': delta('MessageCreatedData', {
    ...messageRef,
    authorType: AuthorType,
    authorUserId: Nullable(Type.String()),
    authorAdminId: Nullable(Type.String()),
    body: Type.String(),
    createdAt: DateTime(),
    updatedAt: DateTime(),
  }),
  'communication.discussion_message.updated': delta('MessageUpdatedData', {
    ...messageRef,
    body: Type.String(),
    editedByUserId: Nullable(Type.String()),
    editedByAdminId: Nullable(Type.String()),
    editedAt: DateTime(),
    updatedAt: DateTime(),
  }),
  'communication.discussion_message.deleted': delta('MessageDeletedData', {
    ...messageRef,
    deletedByUserId: Nullable(Type.String()),
    deletedByAdminId: Nullable(Type.String()),
    isDeleted: Type.Literal(true),
    deletedAt: DateTime(),
    updatedAt: DateTime(),
  }),
  'communication.discussion_message.restored': delta('MessageRestoredData', {
    ...messageRef,
    isDeleted: Type.Literal(false),
    deletedAt: Type.Null(),
    restoredByAdminId: Type.String(),
    restoredAt: DateTime(),
    updatedAt: DateTime(),
  }),
} as const;

export type ServerEventType = keyof typeof serverEventData;
export const serverEventTypes = Object.keys(serverEventData) as ServerEventType[];
export type ServerEventData = { [Type in ServerEventType]: Static<(typeof serverEventData)[Type]> };

/**
 * Not in the spec's list of eight: sent to one socket when it is removed from a room
 * because the user lost access (entitlement revoked or expired, ban, discussion
 * disabled, required feature lost, channel made gated).
 */
export const ACCESS_REVOKED_EVENT = 'communication.room.access_revoked';

export const AccessRevokedData = Type.Object(
  {
    room: Type.String(),
    channelId: Nullable(NumericId()),
    discussionId: Nullable(NumericId()),
    reason: Type.String({
      description:
        'why access ended, e.g. ENTITLEMENT_REQUIRED, FEATURE_REQUIRED, BANNED, DISCUSSION_DISABLED, CHANNEL_ACCESS',
    }),
  },
  { title: 'AccessRevokedData', additionalProperties: false },
);
export type AccessRevokedData = Static<typeof AccessRevokedData>;

/** `{ eventId, eventType, occurredAt, data }`, exactly as in the spec. */
export const EnvelopeOf = <Name extends string, Data extends TSchema>(eventType: Name, data: Data, title: string) =>
  Type.Object(
    {
      eventId: Type.String({ description: 'the event id in the log; also the replay cursor for sinceEventId' }),
      eventType: Type.Literal(eventType),
      occurredAt: DateTime(),
      data,
    },
    { title, additionalProperties: false },
  );

export type ServerEnvelope<Name extends ServerEventType = ServerEventType> = {
  [T in Name]: { eventId: string; eventType: T; occurredAt: string; data: ServerEventData[T] };
}[Name];

export const AccessRevokedNotice = EnvelopeOf(ACCESS_REVOKED_EVENT, AccessRevokedData, 'AccessRevokedNotice');
export type AccessRevokedNotice = Static<typeof AccessRevokedNotice>;

const camel = (text: string) => text.replace(/(^|_)([a-z])/g, (_match, _sep, letter: string) => letter.toUpperCase());
/** `communication.channel_post.created` -> `ChannelPostCreatedEnvelope` */
const envelopeTitle = (name: string): string => `${name.split('.').slice(1).map(camel).join('')}Envelope`;

/** Every server event envelope, one schema per event name. */
export const serverEnvelopes = {} as Record<ServerEventType, TSchema>;
for (const name of serverEventTypes)
  serverEnvelopes[name] = EnvelopeOf(name, serverEventData[name], envelopeTitle(name));

export const SyncResult = Type.Union(
  [
    Type.Object(
      {
        resetRequired: Type.Literal(false),
        room: Type.String(),
        events: Type.Array(Type.Union(serverEventTypes.map((name) => serverEnvelopes[name]))),
        hasMore: Type.Boolean(),
        lastEventId: Nullable(
          Type.String({ description: 'send next time: last event returned, else sinceEventId, else the latest' }),
        ),
      },
      { title: 'SyncReplay', additionalProperties: false },
    ),
    Type.Object(
      { resetRequired: Type.Literal(true), room: Type.String(), reason: ResetReason, message: Type.String() },
      { title: 'SyncReset', additionalProperties: false },
    ),
  ],
  { title: 'SyncResult' },
);
export type SyncResult =
  | { resetRequired: false; room: string; events: ServerEnvelope[]; hasMore: boolean; lastEventId: string | null }
  | { resetRequired: true; room: string; reason: ResetReason; message: string };

export const JoinAck = Ack(JoinedRoom, 'JoinAck');
export const LeaveAck = Ack(LeftRoom, 'LeaveAck');
export const SyncAck = Ack(SyncResult, 'SyncAck');
