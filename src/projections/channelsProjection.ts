import type { ChannelCreated, ChannelUpdated, DiscussionAttached } from '../commands/channel/channelEvents';
import { collections, type ChannelDoc } from './documents';
import type { Projection } from './projection';
import { asEvent, changeDocument } from './changeDocument';

type Handled = ChannelCreated | ChannelUpdated | DiscussionAttached;

/** Channel metadata, one document per channel (key: channel id). */
export const channelsProjection: Projection = {
  name: 'channels',
  collections: [{ name: collections.channels, indexes: [['createdAt', 'id']] }],
  eventTypes: ['ChannelCreated', 'ChannelUpdated', 'DiscussionAttached'],
  apply: async (recorded, writer) => {
    const event = asEvent<Handled>(recorded);
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
};
