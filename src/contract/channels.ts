import { Type, type Static } from '@sinclair/typebox';
import {
  AccessPolicy,
  ChannelKind,
  ChannelStatus,
  ChannelVisibility,
  DataResponse,
  DateTime,
  Key,
  LimitParam,
  Nullable,
  NumericId,
  Page,
  WrittenResponse,
} from './common';

const channelFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ minLength: 0, maxLength: 2000 }))),
  visibility: ChannelVisibility,
  accessPolicy: AccessPolicy,
  entitlementKey: Type.Optional(Nullable(Key())),
};
const gatedNeedsKey = {
  if: { properties: { accessPolicy: { const: 'EXTERNAL_GATED' } }, required: ['accessPolicy'] },
  then: { required: ['entitlementKey'], properties: { entitlementKey: { type: 'string' } } },
};

export const CreateChannelBody = Type.Object(
  { kind: ChannelKind, ...channelFields },
  { title: 'CreateChannelBody', additionalProperties: false, ...gatedNeedsKey },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const UpdateChannelBody = Type.Object(
  {
    title: Type.Optional(channelFields.title),
    description: channelFields.description,
    visibility: Type.Optional(ChannelVisibility),
    accessPolicy: Type.Optional(AccessPolicy),
    entitlementKey: channelFields.entitlementKey,
    status: Type.Optional(ChannelStatus),
  },
  { title: 'UpdateChannelBody', additionalProperties: false, minProperties: 1 },
);
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

const channelCore = {
  id: NumericId(),
  kind: ChannelKind,
  accessPolicy: AccessPolicy,
  status: ChannelStatus,
  visibility: ChannelVisibility,
  title: Type.String(),
  description: Nullable(Type.String()),
  createdAt: DateTime(),
  updatedAt: DateTime(),
};

/** The mobile channel shape (list item and detail). */
export const MobileChannel = Type.Object(
  {
    ...channelCore,
    isJoined: Type.Boolean({ description: 'joined for broadcast notifications' }),
    isLocked: Type.Boolean({ description: 'joined, but gated access was lost: open the paywall' }),
  },
  { title: 'MobileChannel', additionalProperties: false },
);
export type MobileChannel = Static<typeof MobileChannel>;

/** The admin's view of a channel after a write: the mobile fields plus the settings only admins see. */
export const AdminChannel = Type.Object(
  {
    ...channelCore,
    entitlementKey: Nullable(Type.String()),
    discussionId: Nullable(NumericId()),
    createdByAdminId: Type.String(),
  },
  { title: 'AdminChannel', additionalProperties: false },
);
export type AdminChannel = Static<typeof AdminChannel>;

export const ChannelsPage = Page(
  MobileChannel,
  Type.Object({ next_cursor: Nullable(Type.String()) }, { additionalProperties: false }),
  'ChannelsPage',
);
export type ChannelsPage = Static<typeof ChannelsPage>;

export const ChannelsPageResponse = DataResponse(ChannelsPage, 'ChannelsPageResponse');
export const MobileChannelResponse = DataResponse(MobileChannel, 'MobileChannelResponse');
export const AdminChannelWritten = WrittenResponse(AdminChannel, 'AdminChannelWritten');

export const ChannelsQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'opaque; `cursor.next_cursor` of the last page' })),
  limit: Type.Optional(LimitParam()),
});
export type ChannelsQuery = Static<typeof ChannelsQuery>;
