import { decideChannelAccess, type Grants } from '../../access/channelAccess';
import { ConflictError, ForbiddenError } from '../../errors';
import type { ChannelFacts } from '../channel/channelFacts';
import type { Decider } from '../commandHandler';
import {
  evolveMembership,
  initialMembershipState,
  membershipOf,
  type MembershipEvent,
  type MembershipState,
} from './membershipEvents';

type Base = { userId: string; channel: ChannelFacts; now: string };

export type JoinChannel = { type: 'JoinChannel'; data: Base & { entitlements: Grants } };
export type LeaveChannel = { type: 'LeaveChannel'; data: Base };
export type AdvanceReadState = {
  type: 'AdvanceReadState';
  data: Base & {
    entitlements: Grants;
    /** Non-negative integer string, as the client sent it. */
    lastSeenPostId: string;
    /** The channel's highest post id: the cursor is clamped to it. */
    channelLastPostId: number;
  };
};

export type MembershipCommand = JoinChannel | LeaveChannel | AdvanceReadState;

const requireBroadcast = (channel: ChannelFacts) => {
  if (channel.kind !== 'BROADCAST') throw new ConflictError('Only broadcast channels can be joined or left');
};

const requireAccess = (state: MembershipState, data: Base & { entitlements: Grants }) => {
  const access = decideChannelAccess({
    channel: data.channel,
    userId: data.userId,
    entitlements: data.entitlements,
    isJoined: membershipOf(state, data.channel.channelId).isJoined,
    now: new Date(data.now),
  });
  if (!access.canRead) throw new ForbiddenError('You are not entitled to read this channel', { reason: access.reason });
};

const minBigInt = (a: bigint, b: bigint) => (a < b ? a : b);

export const decideMembership = (command: MembershipCommand, state: MembershipState): MembershipEvent[] => {
  switch (command.type) {
    case 'JoinChannel': {
      const { userId, channel, now } = command.data;
      requireBroadcast(channel);
      requireAccess(state, command.data);
      if (membershipOf(state, channel.channelId).isJoined) return [];
      if (channel.status === 'ARCHIVED') throw new ConflictError('Channel is archived');
      return [{ type: 'ChannelJoined', data: { userId, channelId: channel.channelId, joinedAt: now } }];
    }
    case 'LeaveChannel': {
      const { userId, channel, now } = command.data;
      requireBroadcast(channel);
      const membership = membershipOf(state, channel.channelId);
      if (!membership.isJoined || membership.joinedAt === null) return [];
      const data = { userId, channelId: channel.channelId, joinedAt: membership.joinedAt, leftAt: now };
      return [{ type: 'ChannelLeft', data }];
    }
    case 'AdvanceReadState': {
      const { userId, channel, now } = command.data;
      requireAccess(state, command.data);
      const current = BigInt(membershipOf(state, channel.channelId).lastSeenPostId);
      const incoming = minBigInt(BigInt(command.data.lastSeenPostId), BigInt(command.data.channelLastPostId));
      if (incoming <= current) return [];
      const data = { userId, channelId: channel.channelId, lastSeenPostId: incoming.toString(), lastSeenAt: now };
      return [{ type: 'ReadStateAdvanced', data }];
    }
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const membershipDecider: Decider<MembershipState, MembershipCommand, MembershipEvent> = {
  decide: decideMembership,
  evolve: evolveMembership,
  initialState: initialMembershipState,
};
