import type { ChannelEvent } from '../commands/channel/channelEvents';
import type { RecordedEvent } from '../eventStore/eventStore';
import { streamPrefixes } from '../commands/streams';
import type { FanOutJobData } from './pushJobs';

/** The log the trigger reads. Discussion streams are not read at all: discussion messages never push. */
export const pushTriggerFilter = { streamNamePrefixes: [streamPrefixes.channel] };

/**
 * The one place that decides which events send a broadcast push: only a published post.
 * Edits, deletes, pins and unpins of a post, and channel changes send none. To push on
 * another event, return its fan-out here (and widen `pushTriggerFilter` for other streams).
 */
export const broadcastPushFor = (recorded: RecordedEvent): FanOutJobData | null => {
  const event = { type: recorded.type, data: recorded.data } as ChannelEvent;
  switch (event.type) {
    case 'PostPublished':
      return {
        postId: event.data.postId,
        channelId: event.data.channelId,
        publishedAt: event.data.publishedAt,
        position: recorded.position.toString(),
        cursor: null,
      };
    case 'ChannelCreated':
    case 'ChannelUpdated':
    case 'DiscussionAttached':
    case 'PostEdited':
    case 'PostDeleted':
    case 'PostPinned':
    case 'PostUnpinned':
      return null;
    default: {
      // Event types added to channel streams later push nothing until listed above.
      const unexpected: never = event;
      void unexpected;
      return null;
    }
  }
};
