import { Type, type Static } from '@sinclair/typebox';
import {
  AuthorType,
  DataResponse,
  DateTime,
  IdCursorParam,
  Key,
  LimitParam,
  Nullable,
  NullableDateTime,
  NumericId,
  Page,
  StringEnum,
  WrittenResponse,
} from './common';

export const DiscussionBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    isEnabled: Type.Optional(Type.Boolean()),
    requiredFeatureKey: Type.Optional(Nullable(Key())),
    slowModeEnabled: Type.Optional(Type.Boolean()),
    slowModeIntervalSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 86400 }))),
  },
  { title: 'DiscussionBody', additionalProperties: false },
);
export type DiscussionBody = Static<typeof DiscussionBody>;

export const MessageBody = Type.Object(
  // At least one non-blank character.
  { body: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }) },
  { title: 'MessageBody', additionalProperties: false },
);
export type MessageBody = Static<typeof MessageBody>;

export const BanBody = Type.Object(
  {
    until: Type.Optional(Nullable(DateTime({ description: 'absent or null: until unbanned' }))),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { title: 'BanBody', additionalProperties: false },
);
export type BanBody = Static<typeof BanBody>;

export const MuteBody = Type.Object({ until: DateTime() }, { title: 'MuteBody', additionalProperties: false });
export type MuteBody = Static<typeof MuteBody>;

export const Discussion = Type.Object(
  {
    id: NumericId(),
    channelId: NumericId(),
    title: Type.String(),
    isEnabled: Type.Boolean(),
    requiredFeatureKey: Nullable(Type.String()),
    slowModeEnabled: Type.Boolean(),
    slowModeIntervalSeconds: Nullable(Type.Integer()),
    createdByAdminId: Type.String(),
    createdAt: DateTime(),
    updatedAt: DateTime(),
  },
  { title: 'Discussion', additionalProperties: false },
);
export type Discussion = Static<typeof Discussion>;

const authorFields = {
  authorType: AuthorType,
  authorUserId: Nullable(Type.String()),
  authorAdminId: Nullable(Type.String()),
};

/** The spec's "full" message item; deleted messages stay as tombstones with the body blanked. */
export const MessageFull = Type.Object(
  {
    id: NumericId(),
    discussionId: NumericId(),
    ...authorFields,
    body: Type.String(),
    isDeleted: Type.Boolean(),
    deletedAt: NullableDateTime(),
    deletedByAdminId: Nullable(Type.String()),
    editedAt: NullableDateTime(),
    editedByUserId: Nullable(Type.String()),
    editedByAdminId: Nullable(Type.String()),
    createdAt: DateTime(),
    updatedAt: DateTime(),
  },
  { title: 'MessageFull', additionalProperties: false },
);
export type MessageFull = Static<typeof MessageFull>;

export const MessageCompact = Type.Object(
  { id: NumericId(), ...authorFields, body: Type.String(), isDeleted: Type.Boolean(), createdAt: DateTime() },
  { title: 'MessageCompact', additionalProperties: false },
);
export type MessageCompact = Static<typeof MessageCompact>;

/** `cursor.next_before_id` is there only while older messages exist (`{}` otherwise, as in the spec). */
const messagesCursor = Type.Object({ next_before_id: Type.Optional(Type.String()) }, { additionalProperties: false });
export const MessagesPage = Type.Union([
  Page(MessageFull, messagesCursor, 'MessagesPageFull'),
  Page(MessageCompact, messagesCursor, 'MessagesPageCompact'),
]);
export type MessagesPage = Static<typeof MessagesPage>;

export const Ban = Type.Object(
  {
    discussionId: NumericId(),
    channelId: NumericId(),
    userId: Type.String(),
    isBanned: Type.Boolean(),
    until: NullableDateTime(),
    reason: Nullable(Type.String()),
  },
  { title: 'Ban', additionalProperties: false },
);
export type Ban = Static<typeof Ban>;

export const Mute = Type.Object(
  {
    discussionId: NumericId(),
    channelId: NumericId(),
    userId: Type.String(),
    isMuted: Type.Boolean(),
    until: NullableDateTime(),
  },
  { title: 'Mute', additionalProperties: false },
);
export type Mute = Static<typeof Mute>;

export const DiscussionResponse = DataResponse(Discussion, 'DiscussionResponse');
export const DiscussionWritten = WrittenResponse(Discussion, 'DiscussionWritten');
export const MessagesPageResponse = DataResponse(MessagesPage, 'MessagesPageResponse');
export const MessageWritten = WrittenResponse(MessageFull, 'MessageWritten');
export const BanWritten = WrittenResponse(Ban, 'BanWritten');
export const MuteWritten = WrittenResponse(Mute, 'MuteWritten');

export const MessagesQuery = Type.Object({
  before_id: Type.Optional(IdCursorParam('older messages, id < before_id')),
  limit: Type.Optional(LimitParam()),
  view: Type.Optional(StringEnum(['full', 'compact'] as const, { description: 'default full' })),
});
export type MessagesQuery = Static<typeof MessagesQuery>;
