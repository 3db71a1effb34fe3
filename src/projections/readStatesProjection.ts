import { collections, type ReadStateDoc } from './documents';
import { defineProjection } from './projection';

/**
 * Per-user per-channel read cursors (key: `${channelId}:${userId}`). The cursor only
 * moves forward (GREATEST(old, incoming)), compared as integers, not as strings.
 */
export const readStatesProjection = defineProjection({
  name: 'readStates',
  collections: [{ name: collections.readStates, indexes: [['userId']] }],
  eventTypes: ['ReadStateAdvanced'],
  apply: async ({ data }, writer) => {
    const key = `${data.channelId}:${data.userId}`;
    const current = await writer.get<ReadStateDoc>(collections.readStates, key);
    if (current && BigInt(current.lastSeenPostId) >= BigInt(data.lastSeenPostId)) return;
    const doc: ReadStateDoc = {
      channelId: data.channelId,
      userId: data.userId,
      lastSeenPostId: data.lastSeenPostId,
      lastSeenAt: data.lastSeenAt,
    };
    await writer.put(collections.readStates, key, doc);
  },
});
