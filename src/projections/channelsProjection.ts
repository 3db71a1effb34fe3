import { collections, type ChannelDoc } from './documents';
import { defineProjection } from './projection';
import { changeDocument } from './changeDocument';

/** Channel metadata, one document per channel (key: channel id). */
export const channelsProjection = defineProjection({
  name: 'channels',
  collections: [{ name: collections.channels, indexes: [['createdAt', 'id']] }],
  eventTypes: ['ChannelCreated', 'ChannelUpdated', 'DiscussionAttached'],
  apply: async (event, writer) => {
    switch (event.type) {
      case 'ChannelCreated': {
        const { channelId, ...data } = event.data;
        const doc: ChannelDoc = { id: channelId, ...data, discussionId: null, updatedAt: data.createdAt };
        return writer.put(collections.channels, String(channelId), doc);
      }
      case 'ChannelUpdated':
        return changeDocument<ChannelDoc>(writer, collections.channels, String(event.data.channelId), (channel) => ({
          ...channel,
          ...event.data.changes,
          updatedAt: event.data.updatedAt,
        }));
      case 'DiscussionAttached':
        return changeDocument<ChannelDoc>(writer, collections.channels, String(event.data.channelId), (channel) => ({
          ...channel,
          discussionId: event.data.discussionId,
        }));
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
});
