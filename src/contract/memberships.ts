import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, NullableDateTime, NumericId, WrittenResponse } from './common';

export const ReadStateBody = Type.Object(
  { last_seen_post_id: Type.String({ pattern: '^[0-9]{1,30}$', description: 'a non-negative integer string' }) },
  { title: 'ReadStateBody', additionalProperties: false },
);
export type ReadStateBody = Static<typeof ReadStateBody>;

export const Membership = Type.Object(
  { channelId: NumericId(), isJoined: Type.Boolean(), joinedAt: NullableDateTime(), leftAt: NullableDateTime() },
  { title: 'Membership', additionalProperties: false },
);
export type Membership = Static<typeof Membership>;

export const ReadState = Type.Object(
  { channelId: NumericId(), lastSeenPostId: Type.String(), lastSeenAt: Nullable(DateTime()) },
  { title: 'ReadState', additionalProperties: false },
);
export type ReadState = Static<typeof ReadState>;

export const MembershipWritten = WrittenResponse(Membership, 'MembershipWritten');
export const ReadStateWritten = WrittenResponse(ReadState, 'ReadStateWritten');
