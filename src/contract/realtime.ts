import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, NumericId, StringEnum } from './common';
import { serverEnvelopes, serverEventTypes, type ServerEnvelope } from './serverEvents';

export * from './serverEvents';

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

export const AckErrorCode = StringEnum(
  [
    'UNAUTHORIZED',
    'FORBIDDEN',
    'NOT_FOUND',
    'VALIDATION_ERROR',
    'SERVICE_UNAVAILABLE',
    // Ours: over a socket's in-flight or rate limit; details.retryAfterMs says when to retry.
    'RATE_LIMITED',
  ] as const,
  { title: 'AckErrorCode' },
);
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
export type AckError = Static<typeof AckError>;
/** The generic shape of `Ack(schema)`, for handlers typed by their data. */
export type Ack<Data> = { ok: true; data: Data } | { ok: false; error: AckError };

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
// Written out because `serverEnvelopes` is a record of schemas built in a loop, whose Static is unknown.
export type SyncResult =
  | { resetRequired: false; room: string; events: ServerEnvelope[]; hasMore: boolean; lastEventId: string | null }
  | { resetRequired: true; room: string; reason: ResetReason; message: string };

export const JoinAck = Ack(JoinedRoom, 'JoinAck');
export const LeaveAck = Ack(LeftRoom, 'LeaveAck');
export const SyncAck = Ack(SyncResult, 'SyncAck');
