import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AuthorType, DateTime, Nullable, NumericId, PostIdString, PostType, StringEnum } from './common';
import { Attachment } from './posts';

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
