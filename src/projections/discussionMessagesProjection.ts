import type {
  DiscussionMessageDeleted,
  DiscussionMessageEdited,
  DiscussionMessagePosted,
  DiscussionMessageRestored,
} from '../commands/discussion/discussionEvents';
import { collections, type DiscussionMessageDoc } from './documents';
import type { Projection, ProjectionWriter } from './projection';
import { asEvent, requireDocument } from './requireDocument';

type Handled = DiscussionMessagePosted | DiscussionMessageEdited | DiscussionMessageDeleted | DiscussionMessageRestored;

const changeMessage = async (
  writer: ProjectionWriter,
  messageId: number,
  change: (message: DiscussionMessageDoc) => DiscussionMessageDoc,
) => {
  const key = String(messageId);
  const message = await requireDocument<DiscussionMessageDoc>(writer, collections.discussionMessages, key);
  await writer.put(collections.discussionMessages, key, change(message));
};

/** Discussion messages (key: message id); deletes are tombstones an admin can restore. */
export const discussionMessagesProjection: Projection = {
  name: 'discussionMessages',
  collections: [{ name: collections.discussionMessages, indexes: [['discussionId', 'id']] }],
  eventTypes: ['DiscussionMessagePosted', 'DiscussionMessageEdited', 'DiscussionMessageDeleted', 'DiscussionMessageRestored'],
  apply: async (recorded, writer) => {
    const event = asEvent<Handled>(recorded);
    switch (event.type) {
      case 'DiscussionMessagePosted': {
        const { messageId, ...data } = event.data;
        const doc: DiscussionMessageDoc = {
          id: messageId,
          ...data,
          isDeleted: false,
          deletedAt: null,
          deletedByUserId: null,
          deletedByAdminId: null,
          editedAt: null,
          editedByUserId: null,
          editedByAdminId: null,
          updatedAt: data.createdAt,
        };
        return writer.put(collections.discussionMessages, String(messageId), doc);
      }
      case 'DiscussionMessageEdited': {
        const { body, editedByUserId, editedByAdminId, editedAt } = event.data;
        return changeMessage(writer, event.data.messageId, (message) => ({
          ...message,
          body,
          editedAt,
          editedByUserId,
          editedByAdminId,
          updatedAt: editedAt,
        }));
      }
      case 'DiscussionMessageDeleted': {
        const { deletedByUserId, deletedByAdminId, deletedAt } = event.data;
        return changeMessage(writer, event.data.messageId, (message) => ({
          ...message,
          isDeleted: true,
          deletedAt,
          deletedByUserId,
          deletedByAdminId,
          updatedAt: deletedAt,
        }));
      }
      case 'DiscussionMessageRestored':
        return changeMessage(writer, event.data.messageId, (message) => ({
          ...message,
          isDeleted: false,
          deletedAt: null,
          deletedByUserId: null,
          deletedByAdminId: null,
          updatedAt: event.data.restoredAt,
        }));
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
};
