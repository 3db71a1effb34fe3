import { collections, type DiscussionDoc } from './documents';
import { defineProjection } from './projection';
import { changeDocument } from './changeDocument';

/** Discussion settings, one document per discussion (key: discussion id). */
export const discussionsProjection = defineProjection({
  name: 'discussions',
  collections: [{ name: collections.discussions, indexes: [['channelId']] }],
  eventTypes: ['DiscussionCreated', 'DiscussionUpdated'],
  apply: async (event, writer) => {
    switch (event.type) {
      case 'DiscussionCreated': {
        const { discussionId, ...data } = event.data;
        const doc: DiscussionDoc = { id: discussionId, ...data, updatedAt: data.createdAt };
        return writer.put(collections.discussions, String(discussionId), doc);
      }
      case 'DiscussionUpdated':
        return changeDocument<DiscussionDoc>(
          writer,
          collections.discussions,
          String(event.data.discussionId),
          (discussion) => ({
            ...discussion,
            ...event.data.changes,
            updatedAt: event.data.updatedAt,
          }),
        );
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
});
