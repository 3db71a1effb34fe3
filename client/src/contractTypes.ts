/**
 * Every request and response type comes from the server's TypeBox schemas (src/contract):
 * type-only imports, erased from the build, so the SDK ships no schema code and cannot drift.
 */
import type { Static } from '@sinclair/typebox';
import type * as Contract from '../../src/contract';

export type {
  AdminChannel,
  Attachment,
  Ban,
  BanBody,
  ChannelsPage,
  ChannelsQuery,
  CreateChannelBody,
  Discussion,
  DiscussionBody,
  EditPostBody,
  EntitlementGrant,
  FeatureGrant,
  GrantBody,
  Membership,
  MessageBody,
  MessageCompact,
  MessageFull,
  MessagesPage,
  MessagesQuery,
  MobileChannel,
  Mute,
  MuteBody,
  Post,
  PostsPage,
  PostsQuery,
  PublishPostBody,
  ReadState,
  ReadStateBody,
  UpdateChannelBody,
  ErrorBody,
  ResetReason,
  ServerEnvelope,
  ServerEventType,
  SyncResult,
  JoinedRoom,
  LeftRoom,
  Ack,
  AccessRevokedNotice,
} from '../../src/contract';

/** Query strings are strings on the wire; the SDK also takes numbers. */
export type QueryOf<T> = { [K in keyof T]?: T[K] | number };

export type ChannelsPageResponse = Static<typeof Contract.ChannelsPageResponse>;
export type MobileChannelResponse = Static<typeof Contract.MobileChannelResponse>;
export type AdminChannelWritten = Static<typeof Contract.AdminChannelWritten>;
export type PostsPageResponse = Static<typeof Contract.PostsPageResponse>;
export type PostResponse = Static<typeof Contract.PostResponse>;
export type PostWritten = Static<typeof Contract.PostWritten>;
export type DiscussionResponse = Static<typeof Contract.DiscussionResponse>;
export type DiscussionWritten = Static<typeof Contract.DiscussionWritten>;
export type MessagesPageResponse = Static<typeof Contract.MessagesPageResponse>;
export type MessageWritten = Static<typeof Contract.MessageWritten>;
export type BanWritten = Static<typeof Contract.BanWritten>;
export type MuteWritten = Static<typeof Contract.MuteWritten>;
export type MembershipWritten = Static<typeof Contract.MembershipWritten>;
export type ReadStateWritten = Static<typeof Contract.ReadStateWritten>;
export type EntitlementWritten = Static<typeof Contract.EntitlementWritten>;
export type FeatureWritten = Static<typeof Contract.FeatureWritten>;
