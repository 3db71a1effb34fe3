import { collections, type MembershipDoc } from './documents';
import { defineProjection } from './projection';

/** Who joined which channel for broadcast notifications (key: `${channelId}:${userId}`). */
export const membershipsProjection = defineProjection({
  name: 'memberships',
  collections: [
    {
      name: collections.memberships,
      indexes: [
        ['channelId', 'isJoined'],
        ['userId', 'channelId'],
        ['channelId', 'isJoined', 'userId'],
      ],
    },
  ],
  eventTypes: ['ChannelJoined', 'ChannelLeft'],
  apply: async (event, writer) => {
    const { channelId, userId } = event.data;
    const key = `${channelId}:${userId}`;
    switch (event.type) {
      case 'ChannelJoined': {
        const doc: MembershipDoc = { channelId, userId, isJoined: true, joinedAt: event.data.joinedAt, leftAt: null };
        return writer.put(collections.memberships, key, doc);
      }
      case 'ChannelLeft': {
        const doc: MembershipDoc = {
          channelId,
          userId,
          isJoined: false,
          joinedAt: event.data.joinedAt,
          leftAt: event.data.leftAt,
        };
        return writer.put(collections.memberships, key, doc);
      }
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
});
