import { applyPostChange, publishedPostLifecycle } from '../commands/channel/channelState';
import { collections, type PostDoc } from './documents';
import { defineProjection } from './projection';
import { changeDocument } from './changeDocument';

/**
 * Channel posts with their attachments (key: post id). Deleted posts stay as tombstones
 * with their content, exactly as the log has them; queries decide what to show.
 */
export const postsProjection = defineProjection({
  name: 'posts',
  collections: [{ name: collections.posts, indexes: [['channelId', 'id']] }],
  eventTypes: ['PostPublished', 'PostEdited', 'PostDeleted', 'PostPinned', 'PostUnpinned'],
  apply: async (event, writer) => {
    switch (event.type) {
      case 'PostPublished': {
        const { postId, ...data } = event.data;
        const doc: PostDoc = {
          id: postId,
          ...data,
          ...publishedPostLifecycle(data.publishedAt),
          createdAt: data.publishedAt,
        };
        return writer.put(collections.posts, String(postId), doc);
      }
      case 'PostEdited':
      case 'PostDeleted':
      case 'PostPinned':
      case 'PostUnpinned':
        return changeDocument<PostDoc>(writer, collections.posts, String(event.data.postId), (post) =>
          applyPostChange(post, event),
        );
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
});
