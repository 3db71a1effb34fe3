import type {
  PostDeleted,
  PostEdited,
  PostPinned,
  PostPublished,
  PostUnpinned,
} from '../commands/channel/channelEvents';
import { collections, type PostDoc } from './documents';
import type { Projection, ProjectionWriter } from './projection';
import { asEvent, requireDocument } from './requireDocument';

type Handled = PostPublished | PostEdited | PostDeleted | PostPinned | PostUnpinned;

const changePost = async (writer: ProjectionWriter, postId: number, change: (post: PostDoc) => PostDoc) => {
  const key = String(postId);
  const post = await requireDocument<PostDoc>(writer, collections.posts, key);
  await writer.put(collections.posts, key, change(post));
};

/**
 * Channel posts with their attachments (key: post id). Deleted posts stay as tombstones
 * with their content, exactly as the log has them; queries decide what to show.
 */
export const postsProjection: Projection = {
  name: 'posts',
  collections: [{ name: collections.posts, indexes: [['channelId', 'id']] }],
  eventTypes: ['PostPublished', 'PostEdited', 'PostDeleted', 'PostPinned', 'PostUnpinned'],
  apply: async (recorded, writer) => {
    const event = asEvent<Handled>(recorded);
    switch (event.type) {
      case 'PostPublished': {
        const { postId, ...data } = event.data;
        const doc: PostDoc = {
          id: postId,
          ...data,
          isPinned: false,
          pinnedAt: null,
          isDeleted: false,
          deletedAt: null,
          createdAt: data.publishedAt,
          updatedAt: data.publishedAt,
        };
        return writer.put(collections.posts, String(postId), doc);
      }
      case 'PostEdited':
        return changePost(writer, event.data.postId, (post) => ({
          ...post,
          ...event.data.changes,
          updatedAt: event.data.editedAt,
        }));
      case 'PostDeleted':
        return changePost(writer, event.data.postId, (post) => ({
          ...post,
          isDeleted: true,
          deletedAt: event.data.deletedAt,
          updatedAt: event.data.deletedAt,
        }));
      case 'PostPinned':
        return changePost(writer, event.data.postId, (post) => ({
          ...post,
          isPinned: true,
          pinnedAt: event.data.pinnedAt,
          updatedAt: event.data.pinnedAt,
        }));
      case 'PostUnpinned':
        return changePost(writer, event.data.postId, (post) => ({
          ...post,
          isPinned: false,
          pinnedAt: null,
          updatedAt: event.data.unpinnedAt,
        }));
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
};
