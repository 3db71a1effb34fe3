import type { EventStore } from '../../eventStore/eventStore';
import { foldAfterApplied } from '../appliedFacts';
import type { AppliedIds } from '../idLocator';
import { streams } from '../streams';
import type { ChannelEvent } from './channelEvents';
import { evolvePost, type PostState } from './channelState';

/** A post as the posts read model holds it, with its channel. */
export type AppliedPost = PostState & { channelId: number };

/** The posts read model as the write side reads it (port; src/projections/appliedIds.ts). */
export type AppliedPosts = {
  postOf: (postId: number) => Promise<AppliedPost | undefined>;
};

export type PostFacts = {
  /** The post as its channel's stream has it now; undefined when the channel holds no such post. */
  load: (channelId: number, postId: number) => Promise<PostState | undefined>;
};

const POST_EVENTS: Array<ChannelEvent['type']> = [
  'PostPublished',
  'PostEdited',
  'PostDeleted',
  'PostPinned',
  'PostUnpinned',
];

/** One post of a channel, loaded for a command on it (see appliedFacts.ts). */
export const createPostFacts = (deps: {
  eventStore: Pick<EventStore, 'readAll'>;
  appliedIds: Pick<AppliedIds, 'appliedPosition'> & AppliedPosts;
}): PostFacts => ({
  load: async (channelId, postId) => {
    // The position first: whatever it covers is in the read model by the time that is read.
    const after = deps.appliedIds.appliedPosition('post');
    const applied = await deps.appliedIds.postOf(postId);
    let fromReadModel: PostState | undefined;
    if (applied?.channelId === channelId) {
      const { channelId: _channelId, ...post } = applied;
      fromReadModel = post;
    }
    return foldAfterApplied({
      eventStore: deps.eventStore,
      after,
      streamName: streams.channel(channelId),
      eventTypes: POST_EVENTS,
      fromReadModel,
      fold: evolvePost(postId),
    });
  },
});
