import { NotFoundError } from '../errors';
import type { ExistingChannel } from './channel/channelState';
import type { UserGrants } from './channel/channelFacts';
import { membershipOf } from './membership/membershipEvents';
import { streams } from './streams';
import type { WriteModel } from './writeModel';

/**
 * Facts from other streams that a decision needs, read through the handlers' cached
 * `load` (which catches up from the cached revision), never from read models that may lag.
 */
export const loadChannel = async (model: WriteModel, channelId: number): Promise<ExistingChannel> => {
  const channel = await model.channels.load(streams.channel(channelId));
  if (!channel.exists) throw new NotFoundError('Channel not found');
  return channel;
};

export const loadUserGrants = (model: WriteModel, userId: string): Promise<UserGrants> =>
  model.userAccess.load(streams.userAccess(userId));

export const loadIsJoined = async (model: WriteModel, userId: string, channelId: number): Promise<boolean> =>
  membershipOf(await model.memberships.load(streams.membership(userId)), channelId).isJoined;
