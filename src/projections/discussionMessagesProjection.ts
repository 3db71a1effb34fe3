import { applyMessageChange, postedMessageLifecycle } from '../commands/discussion/discussionState';
import { collections, type DiscussionMessageDoc } from './documents';
import { defineProjection } from './projection';
import { changeDocument } from './changeDocument';

/** Discussion messages (key: message id); deletes are tombstones an admin can restore. */
export const discussionMessagesProjection = defineProjection({
  name: 'discussionMessages',
  collections: [{ name: collections.discussionMessages, indexes: [['discussionId', 'id']] }],
  eventTypes: [
    'DiscussionMessagePosted',
    'DiscussionMessageEdited',
    'DiscussionMessageDeleted',
    'DiscussionMessageRestored',
  ],
  apply: async (event, writer) => {
    switch (event.type) {
      case 'DiscussionMessagePosted': {
        const { messageId, ...data } = event.data;
        const doc: DiscussionMessageDoc = { id: messageId, ...data, ...postedMessageLifecycle(data.createdAt) };
        return writer.put(collections.discussionMessages, String(messageId), doc);
      }
      case 'DiscussionMessageEdited':
      case 'DiscussionMessageDeleted':
      case 'DiscussionMessageRestored':
        return changeDocument<DiscussionMessageDoc>(
          writer,
          collections.discussionMessages,
          String(event.data.messageId),
          (message) => applyMessageChange(message, event),
        );
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
});
