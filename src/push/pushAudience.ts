import { isPushEligible } from '../access/channelAccess';
import { collections, type ChannelDoc, type MembershipDoc, type UserAccessDoc } from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';

/** Who a broadcast push goes to, read from the read models the projections keep. */
export type PushAudience = {
  channel: (channelId: number) => Promise<ChannelDoc | undefined>;
  /** The channel's kind; undefined while the channel is unknown. */
  kindOf: (channelId: number) => Promise<ChannelDoc['kind'] | undefined>;
  /** Joined members with userId > `after`, ordered by userId (keyset paging). */
  pageJoinedMembers: (channelId: number, after: string | null, limit: number) => Promise<MembershipDoc[]>;
  /**
   * The subset of `userIds` that should get the push right now: still joined (and joined
   * no later than the post), and push-eligible under the channel's access policy at `now`.
   */
  selectRecipients: (input: {
    channel: ChannelDoc;
    userIds: string[];
    publishedAt: string;
    now: Date;
  }) => Promise<string[]>;
};

const joinedBy = (membership: MembershipDoc, publishedAt: string): boolean =>
  membership.isJoined && membership.joinedAt !== null && Date.parse(membership.joinedAt) <= Date.parse(publishedAt);

export const createPushAudience = (readModels: ReadModelStore): PushAudience => {
  // Set by ChannelCreated and changed by no later event: read once per channel, not once per post.
  const kinds = new Map<number, ChannelDoc['kind']>();
  const channel = (channelId: number) => readModels.get<ChannelDoc>(collections.channels, String(channelId));
  return {
    channel,

    kindOf: async (channelId) => {
      const known = kinds.get(channelId);
      if (known) return known;
      const kind = (await channel(channelId))?.kind;
      if (kind) kinds.set(channelId, kind);
      return kind;
    },

    pageJoinedMembers: (channelId, after, limit) =>
      readModels.find<MembershipDoc>(collections.memberships, {
        where: { channelId, isJoined: true, ...(after === null ? {} : { userId: { gt: after } }) },
        orderBy: [['userId', 'asc']],
        limit,
      }),

    selectRecipients: async ({ channel, userIds, publishedAt, now }) => {
      if (userIds.length === 0) return [];
      const memberships = await readModels.find<MembershipDoc>(collections.memberships, {
        where: { channelId: channel.id, userId: { in: userIds } },
      });
      const joined = memberships.filter((membership) => joinedBy(membership, publishedAt)).map((m) => m.userId);
      if (channel.accessPolicy === 'OPEN' || joined.length === 0) return joined;
      // By key: userAccess is keyed by userId and has no field index to query on.
      const access = await Promise.all(
        joined.map((userId) => readModels.get<UserAccessDoc>(collections.userAccess, userId)),
      );
      return joined.filter((_, index) =>
        isPushEligible({ channel, entitlements: access[index]?.entitlements ?? {}, now }),
      );
    },
  };
};
