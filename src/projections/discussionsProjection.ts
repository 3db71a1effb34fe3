import type { DiscussionCreated, DiscussionUpdated } from '../commands/discussion/discussionEvents';
import { collections, type DiscussionDoc } from './documents';
import type { Projection } from './projection';
import { asEvent, changeDocument } from './changeDocument';

type Handled = DiscussionCreated | DiscussionUpdated;

/** Discussion settings, one document per discussion (key: discussion id). */
export const discussionsProjection: Projection = {
  name: 'discussions',
  collections: [{ name: collections.discussions, indexes: [['channelId']] }],
  eventTypes: ['DiscussionCreated', 'DiscussionUpdated'],
  apply: async (recorded, writer) => {
    const event = asEvent<Handled>(recorded);
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
};
