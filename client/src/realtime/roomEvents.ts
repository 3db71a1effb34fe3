import { ApiError } from '../errors';

/** Client event names (without the `communication:` prefix) and server event family per room kind. */
export const ROOM_EVENTS = {
  channelPosts: {
    join: 'join_channel_posts',
    leave: 'leave_channel_posts',
    sync: 'sync_channel_posts',
    prefix: 'communication.channel_post.',
  },
  discussion: {
    join: 'join_discussion',
    leave: 'leave_discussion',
    sync: 'sync_discussion',
    prefix: 'communication.discussion_message.',
  },
} as const;

/** The data of a successful acknowledgement; a refusal becomes an ApiError (status 0: over the socket). */
export const unwrapAck = <Data>(
  ack: { ok: true; data: Data } | { ok: false; error: { code: string; message: string; details?: unknown } },
): Data => {
  if (ack.ok) return ack.data;
  throw new ApiError(0, ack.error.code as ApiError['code'], ack.error.message, ack.error.details);
};
