import { compileSchema } from '../http/validation';
import {
  SYNC_DEFAULT_LIMIT,
  SYNC_MAX_LIMIT,
  type ChannelPayload,
  type DiscussionPayload,
  type SyncPayload,
} from './realtimeContract';

const id = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

/** AJV schemas of the client events' payloads; they also document them. */
export const channelPayloadSchema = {
  type: 'object',
  properties: { channelId: id },
  required: ['channelId'],
  additionalProperties: false,
} as const;

export const discussionPayloadSchema = {
  type: 'object',
  properties: { discussionId: id },
  required: ['discussionId'],
  additionalProperties: false,
} as const;

export const syncPayloadSchema = {
  type: 'object',
  properties: {
    channelId: id,
    // Event ids are UUIDs; the pattern only keeps junk out, unknown ids are a reset, not an error.
    sinceEventId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z-]+$' },
    limit: { type: 'integer', minimum: 1, maximum: SYNC_MAX_LIMIT, default: SYNC_DEFAULT_LIMIT },
  },
  required: ['channelId'],
  additionalProperties: false,
} as const;

export const createPayloadValidators = () => ({
  channel: compileSchema<ChannelPayload>(channelPayloadSchema),
  discussion: compileSchema<DiscussionPayload>(discussionPayloadSchema),
  sync: compileSchema<SyncPayload & { limit: number }>(syncPayloadSchema),
});

export type PayloadValidators = ReturnType<typeof createPayloadValidators>;
