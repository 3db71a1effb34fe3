import { collections, type DiscussionRestrictionDoc } from './documents';
import { defineProjection, type ProjectionWriter } from './projection';

const keyOf = (discussionId: number, userId: string) => `${discussionId}:${userId}`;

const changeRestriction = async (
  writer: ProjectionWriter,
  data: { discussionId: number; channelId: number; userId: string },
  change: Partial<Pick<DiscussionRestrictionDoc, 'ban' | 'mute'>>,
) => {
  const key = keyOf(data.discussionId, data.userId);
  const current = await writer.get<DiscussionRestrictionDoc>(collections.discussionRestrictions, key);
  const doc: DiscussionRestrictionDoc = {
    discussionId: data.discussionId,
    channelId: data.channelId,
    userId: data.userId,
    ban: current?.ban ?? null,
    mute: current?.mute ?? null,
    ...change,
  };
  await writer.put(collections.discussionRestrictions, key, doc);
};

/**
 * Bans and mutes per (discussion, user). Lifting one that is not there is a no-op on the
 * write side too, so it is not an error here; expiry is decided at read time from `until`.
 */
export const discussionRestrictionsProjection = defineProjection({
  name: 'discussionRestrictions',
  collections: [{ name: collections.discussionRestrictions, indexes: [['discussionId'], ['userId']] }],
  eventTypes: ['UserBanned', 'UserUnbanned', 'UserMuted', 'UserUnmuted'],
  apply: async (event, writer) => {
    switch (event.type) {
      case 'UserBanned': {
        const { until, reason, bannedAt } = event.data;
        return changeRestriction(writer, event.data, { ban: { until, reason, bannedAt } });
      }
      case 'UserUnbanned':
        return changeRestriction(writer, event.data, { ban: null });
      case 'UserMuted':
        return changeRestriction(writer, event.data, {
          mute: { until: event.data.until, mutedAt: event.data.mutedAt },
        });
      case 'UserUnmuted':
        return changeRestriction(writer, event.data, { mute: null });
      default: {
        const unexpected: never = event;
        throw new Error(`unhandled event ${(unexpected as { type: string }).type}`);
      }
    }
  },
});
