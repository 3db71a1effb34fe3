export type ChannelJoined = {
  type: 'ChannelJoined';
  data: { userId: string; channelId: number; joinedAt: string };
};

export type ChannelLeft = {
  type: 'ChannelLeft';
  data: { userId: string; channelId: number; joinedAt: string; leftAt: string };
};

/** The read cursor moved forward; it never moves back. Post ids are strings, as in the API. */
export type ReadStateAdvanced = {
  type: 'ReadStateAdvanced';
  data: { userId: string; channelId: number; lastSeenPostId: string; lastSeenAt: string };
};

export type MembershipEvent = ChannelJoined | ChannelLeft | ReadStateAdvanced;

export type ChannelMembership = {
  isJoined: boolean;
  joinedAt: string | null;
  leftAt: string | null;
  /** Non-negative integer string; "0" before the first advance. */
  lastSeenPostId: string;
  lastSeenAt: string | null;
};

/** One user's memberships and read cursors, keyed by channel id. */
export type MembershipState = { channels: Readonly<Record<number, ChannelMembership>> };

export const initialMembershipState = (): MembershipState => ({ channels: {} });

export const emptyMembership = (): ChannelMembership => ({
  isJoined: false,
  joinedAt: null,
  leftAt: null,
  lastSeenPostId: '0',
  lastSeenAt: null,
});

export const membershipOf = (state: MembershipState, channelId: number): ChannelMembership =>
  state.channels[channelId] ?? emptyMembership();

const withMembership = (
  state: MembershipState,
  channelId: number,
  change: Partial<ChannelMembership>,
): MembershipState => ({
  channels: { ...state.channels, [channelId]: { ...membershipOf(state, channelId), ...change } },
});

export const evolveMembership = (state: MembershipState, event: MembershipEvent): MembershipState => {
  switch (event.type) {
    case 'ChannelJoined':
      return withMembership(state, event.data.channelId, {
        isJoined: true,
        joinedAt: event.data.joinedAt,
        leftAt: null,
      });
    case 'ChannelLeft':
      return withMembership(state, event.data.channelId, { isJoined: false, leftAt: event.data.leftAt });
    case 'ReadStateAdvanced': {
      const { channelId, lastSeenPostId, lastSeenAt } = event.data;
      return withMembership(state, channelId, { lastSeenPostId, lastSeenAt });
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};
