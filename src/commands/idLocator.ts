import type { EventStore } from '../eventStore/eventStore';
import type { PostPublished } from './channel/channelEvents';
import type { DiscussionMessagePosted } from './discussion/discussionEvents';

export type IdLocator = {
  /** The channel a post id belongs to, or undefined when no such post was ever published. */
  channelOfPost: (postId: number) => Promise<number | undefined>;
  /** The discussion a message id belongs to, or undefined when no such message was ever posted. */
  discussionOfMessage: (messageId: number) => Promise<number | undefined>;
  /** Records an id this process just appended, so the next lookup needs no read. */
  remember: (event: PostPublished | DiscussionMessagePosted) => void;
};

const PAGE = 1000;

/**
 * Routes that take only a post or message id need the stream that holds it. The answer is
 * in the log itself: the PostPublished / DiscussionMessagePosted event carries both ids. This
 * index is filled from the log with a type-filtered `readAll` and, on a miss, catches up from
 * the last position it scanned, so ids appended by other processes are found too. It needs no
 * extra write per post and no read model (those may lag); it costs memory per id and one
 * catch-up read per miss.
 */
export const createIdLocator = (eventStore: EventStore): IdLocator => {
  const postChannels = new Map<number, number>();
  const messageDiscussions = new Map<number, number>();
  let scannedTo: bigint | undefined;
  let catchingUp: Promise<void> | undefined;

  const remember: IdLocator['remember'] = (event) => {
    if (event.type === 'PostPublished') postChannels.set(event.data.postId, event.data.channelId);
    else messageDiscussions.set(event.data.messageId, event.data.discussionId);
  };

  const scan = async () => {
    for (;;) {
      const page = await eventStore.readAll({
        after: scannedTo,
        maxCount: PAGE,
        filter: { eventTypes: ['PostPublished', 'DiscussionMessagePosted'] },
      });
      for (const event of page) {
        remember({ type: event.type, data: event.data } as PostPublished | DiscussionMessagePosted);
        scannedTo = event.position;
      }
      if (page.length < PAGE) return;
    }
  };

  // One catch-up at a time; concurrent misses share it.
  const catchUp = () => {
    catchingUp ??= scan().finally(() => {
      catchingUp = undefined;
    });
    return catchingUp;
  };

  // A catch-up already in flight may have started before the id was appended, so a miss
  // after joining one gets a second catch-up that surely started after this lookup.
  const lookup = (index: Map<number, number>) => async (id: number) => {
    if (!index.has(id)) await catchUp();
    if (!index.has(id)) await catchUp();
    return index.get(id);
  };

  return { channelOfPost: lookup(postChannels), discussionOfMessage: lookup(messageDiscussions), remember };
};
